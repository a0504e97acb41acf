// Package stream implements the stream actor: one per configured stream.
// It keeps the decisions and the lifecycle: which input feeds the stream
// (the failover policy, the publish:// slot), its children (inputs, push
// targets, the DVR writer, the transcoder), its data plane's life and its
// published status snapshot.
//
// The actor handles control messages only. Frames never pass through its
// mailbox: the data plane is media/plane (hub, segmenter, packager, meter,
// preview), and the input that feeds the stream writes to the hub through
// a media/feed sink that the stream grants (Publish, AcceptPublisher),
// arms and revokes; consumers (the packager, real-time players) read the
// hub. Inputs are children; the stream is their supervisor (HandleFailure)
// and keeps their stats.
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
	"streamhive/actors/events"
	"streamhive/actors/transcoder"
	"streamhive/media"
	"streamhive/media/dvr"
	"streamhive/media/feed"
	"streamhive/media/plane"
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
	// Relayed returns the archive of a stream that this node runs without
	// a `dvr` line (a relay of a `cluster_ingest` stream: the recordings
	// of the nodes that captured it), nil when it has none. Nil: none.
	Relayed func(name string) dvr.Archive
	// Events gets the stream's events (events.go). Nil: none.
	Events *events.Bus
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
		return &streamActor{cfg: cfg, active: -1, log: slog.Default()}
	})
}

type streamActor struct {
	cfg     Config // cfg.Stream is replaced by Update
	started time.Time
	log     *slog.Logger // the system's, with the stream's name, from Started

	// Where StatusChanged goes. Kept from Started because HandleFailure
	// runs without an actor.Context.
	self, parent *actor.PID
	root         *actor.RootContext

	inputs inputSet
	active int           // index into inputs of the input holding the grant (see syncActive); -1 when none
	tracks []media.Track // the active input's tracks; nil when none
	state  string        // the state last announced to the parent

	// The policy chooses the input (failover.go); the feed switches the
	// hub between the inputs' sinks at keyframes.
	failover failoverState
	feed     *feed.Feed
	publish  publishSlot // the publish:// slot's holder (publisher.go)

	media      *plane.Plane           // this instance's data plane; nil before Started
	transcoder *transcodePlane        // nil without a transcoder (transcode.go)
	opus       *transcoder.OpusDemand // viewers of the Opus rendition (opus.go)
	playback   *Playback
	sampler    rateSampler // bitrates and frame rates (tick.go)
	pushes     pushSet     // the push targets (push.go)
	dvr        recorder    // the DVR writer child and its archive (dvr.go)
	keys       keyring     // the key actor of a stream with a `drm` line (keys.go)
}

var _ actor.SupervisorStrategy = (*streamActor)(nil)

// Receive implements actor.Actor. The stream's messages to itself (its
// timers, its feed's reports) go to onPrivate (private.go).
func (a *streamActor) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *actor.Started:
		a.onStarted(ctx)
	case *Update:
		a.onUpdate(ctx, m)
	case *Publish:
		ctx.Respond(a.onPublish(m))
	case *AcceptPublisher:
		ctx.Respond(a.onAcceptPublisher(m))
	case *ReleasePublisher:
		a.onReleasePublisher(m)
	case *InputStarted:
		a.onInputStarted(m)
	case *actor.Terminated:
		a.onTerminated(m)
	case *SelectInput:
		ctx.Respond(a.onSelect(m))
	case private:
		a.onPrivate(ctx, m)
	case *actor.Stopping, *actor.Restarting:
		// Restarting is the last message this instance sees: release
		// everything exactly as on Stopping. Children are stopped by
		// protoactor in both cases; their writes meet a closed hub.
		a.release()
		for _, e := range stoppedEvents(a.cfg.Status.Load()) {
			a.cfg.Events.Publish(e)
		}
	}
}

func (a *streamActor) onStarted(ctx actor.Context) {
	a.started = time.Now()
	a.self, a.parent, a.root = ctx.Self(), ctx.Parent(), ctx.ActorSystem().Root
	a.log = ctx.Logger().With(slog.String("stream", a.cfg.Stream.Name))
	a.media = newPlane(a.cfg.Stream, a.cfg.Preview, a.log)
	a.transcoder = newTranscodePlane(a.cfg.Stream)
	a.opus = transcoder.NewOpusDemand(a.media.Hub())
	a.playback = playbackOf(a.media, a.opus, &a.cfg.Stream)
	a.startDVR(ctx, 0)
	a.startKeys(ctx)
	a.startTranscoder(ctx)
	a.startOpus(ctx)
	root, self := a.root, a.self
	a.feed = feed.New(a.media.Input(), func(s *feed.Sink, arm uint64) {
		root.Send(self, &keyframeSeen{sink: s, arm: arm})
	})
	a.pushes.events = a.cfg.Events
	a.pushes.sync(ctx, a.cfg.Stream, a.media.Hub())
	a.startInputs(ctx)
	a.changed(true)
}

// startInputs starts the input children and a fresh failover policy for
// them: publish:// inputs at once, the others as the policy's Connect set
// asks (onSyncInputs).
func (a *streamActor) startInputs(ctx actor.Context) {
	a.inputs.start(ctx, a.cfg)
	a.failover.policy = supervision.NewFailover(failoverConfig(a.cfg.Stream), time.Now())
	a.act(a.failover.policy.Current())
}

func (a *streamActor) onUpdate(ctx actor.Context, m *Update) {
	old := a.cfg.Stream
	a.cfg.Stream = m.Config
	if m.Config.Protocols != old.Protocols || m.Config.Thumbnails != old.Thumbnails {
		a.playback = playbackOf(a.media, a.opus, &m.Config)
	}
	a.pushes.sync(ctx, m.Config, a.media.Hub())
	a.updateDVR(ctx)
	a.updateKeys(ctx)
	a.updateTranscoder(ctx, old)
	if m.Config.SegmentDuration != old.SegmentDuration || m.Config.SegmentCount != old.SegmentCount || m.Config.ChunkDuration != old.ChunkDuration {
		ctx.Logger().Info("stream: segment_duration, segment_count and chunk_duration take effect when the stream restarts",
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

// release frees the data plane and the timers. The packager has returned
// (and closed the segmenter) when it returns.
func (a *streamActor) release() {
	a.revoke()
	a.sampler.tick.stop()
	if a.media != nil {
		a.media.Close()
	}
}
