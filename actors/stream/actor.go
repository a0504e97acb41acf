// Package stream implements the stream actor: one per configured stream,
// owning its input children, its media plane (a hub, the packager goroutine
// and the stream's one segmenter) and its published status snapshot.
//
// The actor handles control messages only. Frames never pass through its
// mailbox: the input that feeds the stream writes them to the hub through a
// revocable hub.Writer that the stream grants (Publish, AcceptPublisher)
// and revokes; consumers (the packager, real-time players) read the hub.
// Inputs are children; the stream is their supervisor (HandleFailure) and
// keeps their stats.
//
// A parent never imports its child: the stream gets its inputs' Props from
// Config.Input, and package input imports this one for Publish.
package stream

import (
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/actors/config"
	"streamhive/media"
	"streamhive/media/transcode"
	"streamhive/supervision"
)

// Config is the configuration of one stream actor.
type Config struct {
	// Stream is the stream's effective configuration (templates
	// applied). Update replaces it.
	Stream config.Stream
	// Input returns the Props of the actor for one input. Required.
	Input func(InputSpec) *actor.Props
	// Supervisor restarts and stops the inputs. Nil means
	// DefaultInputSupervisor().
	Supervisor *supervision.RestartWithBackoff
	// Status is where the actor publishes its snapshots. Required; it
	// outlives restarts of the actor.
	Status *atomic.Pointer[Status]
	// Preview turns a video keyframe into a JPEG. Nil means
	// transcode.KeyframeJPEG; tests substitute a fake.
	Preview func(media.Track, *media.Frame) ([]byte, error)
	// DVR opens the archive of a stream with a `dvr` line (dvr.go). Nil:
	// nothing is recorded.
	DVR DVRStarter
}

// InputSpec is what an input actor needs to know about its input.
type InputSpec struct {
	Stream media.StreamName
	Index  int // position in the stream's input list
	Config config.Input
	// Stats are the counters the input's puller fills (the input passes
	// them in the pull's context, media.WithInputStats). The stream reads
	// them for its status; they outlive restarts of the input.
	Stats *media.InputStats
}

// DefaultInputSupervisor restarts a failed input after a delay that doubles
// from 1 s to 30 s (with jitter) and has no restart budget: an input keeps
// trying its source for as long as it is configured, as Flussonic's do. It
// stops an input whose failure is supervision.Permanent.
func DefaultInputSupervisor() *supervision.RestartWithBackoff {
	return &supervision.RestartWithBackoff{
		Backoff: supervision.Backoff{Initial: time.Second, Max: 30 * time.Second},
		Window:  5 * time.Minute,
	}
}

// Props returns the Props of a stream actor. Each instance (the first and
// every restart) starts its inputs and its media plane afresh; cfg.Status
// carries over.
func Props(cfg Config) *actor.Props {
	if cfg.Supervisor == nil {
		cfg.Supervisor = DefaultInputSupervisor()
	}
	if cfg.Preview == nil {
		cfg.Preview = transcode.KeyframeJPEG
	}
	return actor.PropsFromProducer(func() actor.Actor {
		return &streamActor{cfg: cfg, active: -1}
	})
}

type streamActor struct {
	cfg     Config // cfg.Stream is replaced by Update
	started time.Time

	// Where StatusChanged goes. Kept from Started because HandleFailure
	// runs without an actor.Context.
	self, parent *actor.PID
	root         *actor.RootContext

	inputs inputSet
	active int           // index into inputs of the input holding the grant (see syncActive); -1 when none
	tracks []media.Track // the active input's tracks; nil when none
	state  string        // the state last announced to the parent

	// Failover (failover.go): the policy chooses the input, the feed
	// switches the hub between the inputs' sinks at keyframes.
	policy       *supervision.Failover
	decision     supervision.FailoverDecision // the last one applied
	feed         *feed
	arms         uint64 // numbers the armings of sinks
	clock        failoverClock
	switches     int
	switchReason string

	publisher uint64 // the AcceptPublisher session holding the publish:// slot; 0 when none
	sessions  uint64 // numbers AcceptPublisher sessions

	media    *mediaPlane
	playback *Playback
	rates    rates
	measured measured
	tick     ticker
	metrics  streamMetrics // the stream's /metrics series (metrics.go)
	pushes   pushSet       // the push targets (push.go)
	dvr      recorder      // the DVR writer child and its archive (dvr.go)
}

var _ actor.SupervisorStrategy = (*streamActor)(nil)

// Receive implements actor.Actor.
func (a *streamActor) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *actor.Started:
		a.onStarted(ctx)
	case *Update:
		a.onUpdate(ctx, m)
	case *Publish:
		ctx.Respond(a.onPublish(m))
	case *AcceptPublisher:
		ctx.Respond(a.onAcceptPublisher(ctx, m))
	case *ReleasePublisher:
		a.onReleasePublisher(m)
	case *InputStarted:
		a.onInputStarted(m)
	case *actor.Terminated:
		a.onTerminated(m)
	case *tick:
		a.onTick(m)
	case *keyframeSeen:
		a.onKeyframe(m)
	case *failoverTick:
		a.onFailoverTick(m)
	case *SelectInput:
		ctx.Respond(a.onSelect(m))
	case *syncInputs:
		a.onSyncInputs(ctx)
	case *actor.Stopping, *actor.Restarting:
		// Restarting is the last message this instance sees: release
		// everything exactly as on Stopping. Children are stopped by
		// protoactor in both cases; their writes meet a closed hub.
		a.release()
	}
}

func (a *streamActor) onStarted(ctx actor.Context) {
	a.started = time.Now()
	a.self, a.parent, a.root = ctx.Self(), ctx.Parent(), ctx.ActorSystem().Root
	a.media = newMedia(a.cfg.Stream, a.cfg.Preview, ctx.Logger())
	a.metrics = newStreamMetrics(a.cfg.Stream.Name, a.cfg.Status)
	a.playback = a.media.playback(a.cfg.Stream.Protocols)
	a.startDVR(ctx)
	a.startTranscoder(ctx)
	a.feed = newFeed(a.media.inputHub(), a.root, a.self)
	a.pushes.sync(ctx, a.cfg.Stream, a.media.hub)
	a.startInputs(ctx)
	a.changed(true)
}

// startInputs starts the input children and a fresh failover policy for
// them: publish:// inputs at once, the others as the policy's Connect set
// asks (onSyncInputs).
func (a *streamActor) startInputs(ctx actor.Context) {
	a.inputs.start(ctx, a.cfg)
	a.policy = supervision.NewFailover(failoverConfig(a.cfg.Stream), time.Now())
	a.act(a.policy.Current())
}

func (a *streamActor) onUpdate(ctx actor.Context, m *Update) {
	old := a.cfg.Stream
	a.cfg.Stream = m.Config
	if m.Config.Protocols != old.Protocols {
		a.playback = a.media.playback(m.Config.Protocols)
	}
	a.pushes.sync(ctx, m.Config, a.media.hub)
	a.updateDVR(ctx)
	a.updateTranscoder(ctx, old)
	if m.Config.SegmentDuration != old.SegmentDuration || m.Config.SegmentCount != old.SegmentCount {
		ctx.Logger().Info("stream: segment_duration and segment_count take effect when the stream restarts",
			slog.String("stream", m.Config.Name))
	}
	if inputsChanged(old.Inputs, m.Config.Inputs) {
		ctx.Logger().Info("stream: inputs changed, restarting them", slog.String("stream", m.Config.Name))
		a.revoke()
		a.inputs.stop(ctx)
		a.startInputs(ctx)
	}
	a.changed(false)
}

func (a *streamActor) onPublish(m *Publish) *PublishReply {
	idx, ok := a.inputs.index(m.Input)
	if !ok {
		return &PublishReply{Err: ErrNotInput}
	}
	if m.Run != a.inputs.slots[idx].run() {
		return &PublishReply{Err: ErrStaleRun}
	}
	return &PublishReply{Sink: a.connect(idx, m.Tracks)}
}

// connect gives input slot idx a new sink under tracks (closing the sink of
// its previous run) and tells the policy that the input connected. The
// input feeds the hub once the policy arms its sink and it reaches a
// keyframe.
func (a *streamActor) connect(idx int, tracks []media.Track) media.Sink {
	slot := &a.inputs.slots[idx]
	if slot.sink != nil {
		a.feed.close(slot.sink)
	}
	slot.sink = a.feed.newSink(idx, tracks)
	slot.seenFrames = 0
	a.step(supervision.Event{Kind: supervision.EventConnected, Input: idx})
	return slot.sink
}

// disconnect closes input slot idx's sink and tells the policy it died.
func (a *streamActor) disconnect(idx int, why string) {
	slot := &a.inputs.slots[idx]
	if slot.sink != nil {
		a.feed.close(slot.sink)
		slot.sink = nil
	}
	a.step(supervision.Event{Kind: supervision.EventDead, Input: idx, Why: why})
}

func (a *streamActor) onInputStarted(m *InputStarted) {
	idx, ok := a.inputs.index(m.Input)
	if !ok {
		return
	}
	in := &a.inputs.slots[idx]
	if m.Run != in.run() || in.sink != nil {
		return // from an instance that has failed since, or published already
	}
	in.status.State = InputWaiting
	a.changed(false)
}

func (a *streamActor) onTerminated(m *actor.Terminated) {
	idx, ok := a.inputs.index(m.Who)
	if !ok {
		return // an input of an older configuration
	}
	in := &a.inputs.slots[idx]
	in.status.State = InputError
	if in.status.LastError == "" {
		in.status.LastError = "input stopped"
	}
	a.inputs.forget(idx)
	a.disconnect(idx, in.status.LastError)
}

// revoke takes the hub from every input and forgets the policy: the
// inputs are being stopped (a change of inputs, or the actor stopping).
func (a *streamActor) revoke() {
	for i := range a.inputs.slots {
		if s := a.inputs.slots[i].sink; s != nil {
			a.feed.close(s)
			a.inputs.slots[i].sink = nil
		}
	}
	if a.active >= 0 && a.media != nil {
		a.media.preview.clear()
	}
	a.policy, a.decision = nil, supervision.FailoverDecision{Active: -1, Next: -1}
	a.active, a.tracks, a.publisher = -1, nil, 0
	a.clock.stop()
}

// release frees the media plane and the timer. The packager has returned
// (and closed the segmenter) when it returns.
func (a *streamActor) release() {
	a.revoke()
	a.tick.stop()
	a.metrics.close()
	if a.media != nil {
		a.media.close()
	}
}

// changed publishes a new snapshot and tells the parent when the stream's
// state changed (or always, when announce is set).
func (a *streamActor) changed(announce bool) {
	a.syncDVR()
	st := &Status{
		PID:      a.self,
		Name:     media.StreamName(a.cfg.Stream.Name),
		Started:  a.started,
		Active:   a.active,
		Inputs:   a.inputs.snapshot(),
		Tracks:   a.outTracks(),
		Playback: a.playback,
		Bitrate:  a.measured.bitrate,
		Meter:    a.media.meter,

		Switches:     a.switches,
		SwitchReason: a.switchReason,
		Transcoder:   a.media.tc.status(),
		Pushes:       a.pushes.snapshot(),
	}
	if a.policy != nil {
		fs := a.policy.Status()
		for i := range st.Inputs {
			if i < len(fs.Inputs) {
				st.Inputs[i].Health = fs.Inputs[i].State.String()
			}
		}
	}
	st.State = stateOf(st.Active, st.Inputs)
	for _, t := range st.Tracks {
		if t.ID >= 0 && t.ID < maxMeteredTracks {
			st.TrackRates = append(st.TrackRates, a.measured.tracks[t.ID])
		} else {
			st.TrackRates = append(st.TrackRates, TrackRate{})
		}
	}
	for i := range st.Inputs {
		if i < len(a.measured.inputs) {
			st.Inputs[i].Bitrate = a.measured.inputs[i]
		}
	}
	a.cfg.Status.Store(st)

	if (announce || st.State != a.state) && a.parent != nil {
		a.root.Send(a.parent, &StatusChanged{Stream: a.self, Name: st.Name, State: st.State})
	}
	a.state = st.State
}
