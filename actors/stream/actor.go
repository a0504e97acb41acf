// Package stream implements the stream actor: one per configured stream,
// owning its input children and its published status snapshot.
//
// The actor handles control messages only. Frames never pass through its
// mailbox: the input that feeds the stream writes them to a media.Sink that
// the stream grants (Publish) and revokes. Inputs are children; the stream is
// their supervisor (HandleFailure) and keeps their stats.
//
// A parent never imports its child: the stream gets its inputs' Props from
// Config.Input, and package input imports this one for Publish.
package stream

import (
	"sync/atomic"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/actors/config"
	"streamhive/media"
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
	// Feed receives the frames of the input that feeds the stream (the
	// stream's hub, once the stream owns one). Nil means frames are
	// dropped; the input's stats still count them.
	Feed media.Sink
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
// every restart) starts its inputs afresh; cfg.Status carries over.
func Props(cfg Config) *actor.Props {
	if cfg.Supervisor == nil {
		cfg.Supervisor = DefaultInputSupervisor()
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
	active int    // index into inputs of the input feeding the stream; -1 when none
	grant  *grant // the active input's sink; nil when none
	state  string // the state last announced to the parent
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
	case *InputStarted:
		a.onInputStarted(m)
	case *actor.Terminated:
		a.onTerminated(m)
	case *actor.Stopping, *actor.Restarting:
		// Restarting is the last message this instance sees: release
		// the grant exactly as on Stopping. Children are stopped by
		// protoactor in both cases.
		a.revoke()
	}
}

func (a *streamActor) onStarted(ctx actor.Context) {
	a.started = time.Now()
	a.self, a.parent, a.root = ctx.Self(), ctx.Parent(), ctx.ActorSystem().Root
	a.inputs.start(ctx, a.cfg)
	a.changed(true)
}

func (a *streamActor) onUpdate(ctx actor.Context, m *Update) {
	old := a.cfg.Stream
	a.cfg.Stream = m.Config
	if inputsChanged(old.Inputs, m.Config.Inputs) {
		ctx.Logger().Info("stream: inputs changed, restarting them", "stream", m.Config.Name)
		a.revoke()
		a.inputs.stop(ctx)
		a.inputs.start(ctx, a.cfg)
	}
	a.changed(false)
}

func (a *streamActor) onPublish(m *Publish) *PublishReply {
	idx, ok := a.inputs.index(m.Input)
	if !ok {
		return &PublishReply{Err: ErrNotInput}
	}
	in := &a.inputs.slots[idx]
	if m.Run != in.run() {
		return &PublishReply{Err: ErrStaleRun}
	}
	if a.active >= 0 && a.active != idx {
		if a.inputs.rank[idx] > a.inputs.rank[a.active] {
			return &PublishReply{Err: ErrOutranked}
		}
		// Outranked: its frames are dropped from now on. Failing over
		// and back is the failover policy's job (issue 5).
		a.inputs.slots[a.active].status.State = InputWaiting
	}
	a.revoke()
	a.grant = &grant{feed: a.cfg.Feed}
	a.active = idx
	in.status.State = InputRunning
	a.changed(false)
	return &PublishReply{Sink: a.grant}
}

func (a *streamActor) onInputStarted(m *InputStarted) {
	idx, ok := a.inputs.index(m.Input)
	if !ok {
		return
	}
	in := &a.inputs.slots[idx]
	if m.Run != in.run() || idx == a.active {
		return // from an instance that has failed since
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
	if idx == a.active {
		a.revoke()
	}
	a.changed(false)
}

// revoke takes the grant back from the active input, if any.
func (a *streamActor) revoke() {
	if a.grant != nil {
		a.grant.revoke()
		a.grant = nil
	}
	a.active = -1
}

// changed publishes a new snapshot and tells the parent when the stream's
// state changed (or always, when announce is set).
func (a *streamActor) changed(announce bool) {
	st := &Status{
		PID:     a.self,
		Name:    media.StreamName(a.cfg.Stream.Name),
		Started: a.started,
		Active:  a.active,
		Inputs:  a.inputs.snapshot(),
	}
	st.State = stateOf(st.Active, st.Inputs)
	a.cfg.Status.Store(st)

	if (announce || st.State != a.state) && a.parent != nil {
		a.root.Send(a.parent, &StatusChanged{Stream: a.self, Name: st.Name, State: st.State})
	}
	a.state = st.State
}
