package stream

import (
	"log/slog"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/actors/config"
	"streamhive/supervision"
)

// failoverConfig maps a stream's configuration to the failover policy's.
func failoverConfig(s config.Stream) supervision.FailoverConfig {
	fc := supervision.FailoverConfig{
		SourceTimeout:  timeoutOf(s.SourceTimeout),
		ReturnAfter:    timeoutOf(s.ReturnAfter),
		ErrorThreshold: s.ErrorThreshold,
		Inputs:         make([]supervision.FailoverInput, len(s.Inputs)),
	}
	for i, in := range s.Inputs {
		fc.Inputs[i] = supervision.FailoverInput{
			Priority: in.Priority, SourceTimeout: timeoutOf(in.SourceTimeout),
			Backup: in.Backup, Standby: in.Standby,
			ReturnAfter: timeoutOf(in.ReturnAfter), ErrorThreshold: in.ErrorThreshold,
		}
	}
	return fc
}

// timeoutOf maps a source_timeout or return_after: nil → 0 (inherit, or
// the policy's default), false → Never, seconds → that long (0 s reads
// as inherit).
func timeoutOf(t *config.Timeout) time.Duration {
	switch {
	case t == nil:
		return 0
	case t.Disabled:
		return supervision.Never
	}
	return time.Duration(t.Seconds) * time.Second
}

// step feeds one event to the policy and acts on its decision.
func (a *streamActor) step(e supervision.Event) {
	if a.policy == nil {
		return
	}
	e.At = time.Now()
	a.apply(a.policy.Step(e))
}

// apply carries a decision out: on a change the hub is taken from the
// input that lost it (the new one took it already, at its keyframe, or
// takes it at its next one), the input the policy wants next is armed,
// and the failover clock is set for the next check.
func (a *streamActor) apply(d supervision.FailoverDecision) {
	a.act(d)
	a.changed(false)
}

// act is apply without publishing the status.
func (a *streamActor) act(d supervision.FailoverDecision) {
	a.decision = d
	if d.Changed {
		a.logSwitch(d)
	}
	for i := range a.inputs.slots {
		s := a.inputs.slots[i].sink
		if s == nil {
			continue
		}
		switch i {
		case d.Active:
			// Live already when it took over at its keyframe; otherwise
			// (the policy took it on an event that raced with a cut) it
			// takes over at its next keyframe.
			if !a.feed.isLive(s) {
				a.armSink(s)
			}
		case d.Next:
			a.feed.cut(s)
			a.armSink(s)
		default:
			a.feed.cut(s)
			a.feed.arm(s, 0)
		}
	}
	a.syncActive()
	a.clock.set(a.root, a.self, a.clockDelay(d))
	if !a.inputs.syncPending && a.inputs.needsSync(d.Connect) && a.self != nil {
		a.inputs.syncPending = true
		a.root.Send(a.self, &syncInputs{})
	}
}

// onSyncInputs starts the inputs the policy wants connected and stops
// those it no longer needs (inputs on demand; hot standby ones stay
// connected, their frames dropped until they take over).
func (a *streamActor) onSyncInputs(ctx actor.Context) {
	a.inputs.syncPending = false
	if a.policy == nil {
		return
	}
	for i := range a.inputs.slots {
		slot := &a.inputs.slots[i]
		switch start, stop := slot.action(a.decision.Connect); {
		case start:
			a.log().Info("stream: starting input on demand", slog.Int("input", i), slog.String("url", slot.status.URL))
			a.inputs.spawn(ctx, i)
		case stop:
			a.log().Info("stream: stopping input, not needed", slog.Int("input", i), slog.String("url", slot.status.URL))
			a.inputs.retire(ctx, i)
			if slot.sink != nil {
				a.feed.close(slot.sink)
				slot.sink = nil
			}
			a.step(supervision.Event{Kind: supervision.EventDead, Input: i, Why: "not needed"})
		}
	}
	a.changed(false)
}

// armSink arms s with a fresh arm number and makes sure the media plane
// can take a writer.
func (a *streamActor) armSink(s *inputSink) {
	a.arms++
	a.media.startPackager()
	a.tick.start(a.root, a.self)
	a.feed.arm(s, a.arms)
}

// syncActive derives a.active and a.tracks: the policy's active input, or
// while none is active the armed Next, which takes over at its first
// keyframe (it holds the stream's pending grant, so the stream counts as
// fed by it, as a freshly published input always has).
func (a *streamActor) syncActive() {
	idx := a.decision.Active
	if idx < 0 {
		idx = a.decision.Next
	}
	if idx >= 0 && (idx >= len(a.inputs.slots) || a.inputs.slots[idx].sink == nil) {
		idx = -1
	}
	if idx != a.active && a.active >= 0 && a.media != nil {
		a.media.preview.clear()
	}
	for i := range a.inputs.slots {
		st := &a.inputs.slots[i].status
		switch {
		case i == idx:
			st.State = InputRunning
		case st.State == InputRunning:
			st.State = InputWaiting
		}
	}
	a.active, a.tracks = idx, nil
	if idx >= 0 {
		a.tracks = a.inputs.slots[idx].sink.tracks
	}
}

// onKeyframe: a sink took the hub over at its keyframe.
func (a *streamActor) onKeyframe(m *keyframeSeen) {
	s := m.sink
	if s.idx >= len(a.inputs.slots) || a.inputs.slots[s.idx].sink != s {
		a.feed.close(s) // a run that has ended, or an older configuration
		return
	}
	a.step(supervision.Event{Kind: supervision.EventKeyframe, Input: s.idx})
}

// onSelect pins an input by hand (POST /streams/{name}/inputs/{i}/select).
func (a *streamActor) onSelect(m *SelectInput) *SelectInputReply {
	if a.policy == nil {
		return &SelectInputReply{Err: supervision.ErrNoInput}
	}
	d, err := a.policy.Select(m.Index, time.Now())
	a.apply(d)
	return &SelectInputReply{Err: err}
}

// onFailoverTick samples each input's frame and error counters.
func (a *streamActor) onFailoverTick(m *failoverTick) {
	if !a.clock.current(m) || a.policy == nil {
		return
	}
	for i := range a.inputs.slots {
		slot := &a.inputs.slots[i]
		if slot.sink != nil {
			if n := slot.sink.frames.Load(); n != slot.seenFrames {
				slot.seenFrames = n
				a.policy.Step(supervision.Event{At: time.Now(), Kind: supervision.EventFrames, Input: i})
			}
		}
		if slot.status.Stats != nil {
			if n := slot.status.Stats.Errors.Load(); n > slot.seenErrors {
				a.policy.Step(supervision.Event{
					At: time.Now(), Kind: supervision.EventErrors, Input: i,
					Count: int(n - slot.seenErrors),
				})
				slot.seenErrors = n
			}
		}
	}
	before := a.decision.Active
	d := a.policy.Step(supervision.Event{At: time.Now(), Kind: supervision.EventTick})
	d.Changed = d.Active != before
	a.apply(d)
}

// clockDelay is when to sample next: every second, or sooner at the
// policy's next deadline, while an input has published (frames are
// counted, silence is timed). With no input connected there is nothing to
// choose between, and every input that connects says so in a message, so
// an idle stream costs no timer (and its status stays as it is).
func (a *streamActor) clockDelay(d supervision.FailoverDecision) time.Duration {
	connected := false
	for _, slot := range a.inputs.slots {
		connected = connected || slot.sink != nil
	}
	if !connected {
		return -1
	}
	delay := failoverSample
	if !d.NextCheck.IsZero() {
		delay = min(delay, max(time.Until(d.NextCheck), time.Millisecond))
	}
	return delay
}

// logSwitch logs a change of the active input and counts switches.
func (a *streamActor) logSwitch(d supervision.FailoverDecision) {
	st := a.policy.Status()
	if st.Switches > a.switches {
		inputSwitches.Add(st.Switches - a.switches)
	}
	a.switches, a.switchReason = st.Switches, d.Reason
	a.log().Info("stream: active input changed", slog.Int("active", d.Active), slog.String("cause", d.Cause.String()), slog.String("reason", d.Reason))
}

func (a *streamActor) log() *slog.Logger {
	if a.media != nil && a.media.log != nil {
		return a.media.log
	}
	return slog.Default()
}
