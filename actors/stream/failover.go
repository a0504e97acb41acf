package stream

import (
	"log/slog"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/actors/config"
	"streamhive/media/feed"
	"streamhive/supervision"
)

// failoverSample is how often the stream samples its inputs' frame and
// error counters for the failover policy while any input has published.
const failoverSample = time.Second

// failoverState is what the stream keeps of its failover: the policy, the
// decision it applied last, the clock that samples the inputs for the
// policy, and the switches made. It belongs to the stream actor.
type failoverState struct {
	policy       *supervision.Failover // nil while the inputs are stopped
	decision     supervision.FailoverDecision
	arms         uint64 // numbers the armings of sinks
	clock        failoverClock
	switches     int
	switchReason string
	// fed is the last input that fed the stream, plus one (0: none yet):
	// a failover passes through no input at all (events.go).
	fed int
}

// reset forgets the policy: the inputs are being stopped.
func (f *failoverState) reset() {
	f.policy, f.decision = nil, supervision.FailoverDecision{Active: -1, Next: -1}
	f.clock.stop()
}

// step feeds one event to the policy and acts on its decision.
func (a *streamActor) step(e supervision.Event) {
	if a.failover.policy == nil {
		return
	}
	e.At = time.Now()
	a.apply(a.failover.policy.Step(e))
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
	a.failover.decision = d
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
			if !a.feed.IsLive(s) {
				a.armSink(s)
			}
		case d.Next:
			a.feed.Cut(s)
			a.armSink(s)
		default:
			a.feed.Cut(s)
			a.feed.Arm(s, 0)
		}
	}
	a.syncActive()
	a.failover.clock.set(a.root, a.self, a.clockDelay(d))
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
	if a.failover.policy == nil {
		return
	}
	for i := range a.inputs.slots {
		slot := &a.inputs.slots[i]
		switch start, stop := slot.action(a.failover.decision.Connect); {
		case start:
			a.log.Info("stream: starting input on demand", slog.Int("input", i), slog.String("url", config.RedactURL(slot.status.URL)))
			a.inputs.spawn(ctx, i)
		case stop:
			a.log.Info("stream: stopping input, not needed", slog.Int("input", i), slog.String("url", config.RedactURL(slot.status.URL)))
			a.inputs.retire(ctx, i)
			if slot.sink != nil {
				a.feed.Close(slot.sink)
				slot.sink = nil
			}
			a.step(supervision.Event{Kind: supervision.EventDead, Input: i, Why: "not needed"})
		}
	}
	a.changed(false)
}

// armSink arms s with a fresh arm number and makes sure the media plane
// can take a writer.
func (a *streamActor) armSink(s *feed.Sink) {
	a.failover.arms++
	a.media.StartPackager()
	a.sampler.tick.start(a.root, a.self)
	a.feed.Arm(s, a.failover.arms)
}

// syncActive derives a.active and a.tracks: the policy's active input, or
// while none is active the armed Next, which takes over at its first
// keyframe (it holds the stream's pending grant, so the stream counts as
// fed by it, as a freshly published input always has).
func (a *streamActor) syncActive() {
	idx := a.failover.decision.Active
	if idx < 0 {
		idx = a.failover.decision.Next
	}
	if idx >= 0 && (idx >= len(a.inputs.slots) || a.inputs.slots[idx].sink == nil) {
		idx = -1
	}
	if idx != a.active && a.active >= 0 && a.media != nil {
		a.media.Preview().Clear()
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
		a.tracks = a.inputs.slots[idx].sink.Tracks()
	}
}

// onKeyframe: a sink took the hub over at its keyframe.
func (a *streamActor) onKeyframe(m *keyframeSeen) {
	s := m.sink
	if s.Index() >= len(a.inputs.slots) || a.inputs.slots[s.Index()].sink != s {
		a.feed.Close(s) // a run that has ended, or an older configuration
		return
	}
	a.step(supervision.Event{Kind: supervision.EventKeyframe, Input: s.Index()})
}

// onSelect pins an input by hand (POST /streams/{name}/inputs/{i}/select).
func (a *streamActor) onSelect(m *SelectInput) *SelectInputReply {
	if a.failover.policy == nil {
		return &SelectInputReply{Err: supervision.ErrNoInput}
	}
	d, err := a.failover.policy.Select(m.Index, time.Now())
	a.apply(d)
	return &SelectInputReply{Err: err}
}

// onFailoverTick samples each input's frame and error counters.
func (a *streamActor) onFailoverTick(m *failoverTick) {
	if !a.failover.clock.current(m) || a.failover.policy == nil {
		return
	}
	for i := range a.inputs.slots {
		slot := &a.inputs.slots[i]
		if slot.sink != nil {
			if n := slot.sink.Frames(); n != slot.seenFrames {
				slot.seenFrames = n
				a.failover.policy.Step(supervision.Event{At: time.Now(), Kind: supervision.EventFrames, Input: i})
			}
		}
		if slot.status.Stats != nil {
			if n := slot.status.Stats.Errors.Load(); n > slot.seenErrors {
				a.failover.policy.Step(supervision.Event{
					At: time.Now(), Kind: supervision.EventErrors, Input: i,
					Count: int(n - slot.seenErrors),
				})
				slot.seenErrors = n
			}
		}
	}
	before := a.failover.decision.Active
	d := a.failover.policy.Step(supervision.Event{At: time.Now(), Kind: supervision.EventTick})
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
	st := a.failover.policy.Status()
	if st.Switches > a.failover.switches {
		inputSwitches.Add(st.Switches - a.failover.switches)
	}
	a.failover.switches, a.failover.switchReason = st.Switches, d.Reason
	a.log.Info("stream: active input changed", slog.Int("active", d.Active), slog.String("cause", d.Cause.String()), slog.String("reason", d.Reason))
}
