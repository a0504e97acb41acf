// Package streams implements the supervisor and registry of all streams:
// one stream actor per enabled configured stream, supervised one-for-one
// (a crashing stream is restarted with backoff and never affects another),
// and an immutable Directory of their status snapshots for lock-free reads.
//
// It assembles the stream subtree, so it imports both stream and input.
package streams

import (
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/actors/config"
	"streamhive/actors/events"
	"streamhive/actors/input"
	"streamhive/actors/kit"
	"streamhive/actors/stream"
	"streamhive/supervision"
)

// Config is the configuration of the streams supervisor.
type Config struct {
	// Current returns the configuration in effect. Each instance of the
	// supervisor (the first, and any restart) starts every enabled stream
	// in it, so a restart loses nothing. Required.
	Current func() *config.Server
	// Pullers are the input pullers by URL scheme.
	Pullers input.Pullers
	// Directory is where the supervisor publishes its Directory. Required.
	Directory *atomic.Pointer[Directory]
	// Supervisor restarts and stops crashed stream actors. Nil means
	// DefaultStreamSupervisor().
	Supervisor *supervision.RestartWithBackoff
	// InputSupervisor is every stream's strategy for its inputs. Nil
	// means stream.DefaultInputSupervisor().
	InputSupervisor *supervision.RestartWithBackoff
	// StreamProps builds a stream actor's Props. Nil means stream.Props;
	// fault-injection tests and the chaos harness wrap it.
	StreamProps func(stream.Config) *actor.Props
	// Viewers returns how many viewer sessions stream name has open: an
	// on-demand stream stops after Idle.OnDemand with none. Nil: none ever.
	Viewers func(name string) int
	// Idle says how long an on-demand stream runs without viewers and a
	// template's stream without its publisher (lifecycle.go). Zero fields
	// take the defaults.
	Idle Idle
	// Place turns a configured stream's effective configuration into the
	// one this node runs: the cluster's placement (a cluster_ingest stream
	// another node captures runs as its relay; placement.go). Nil: every
	// stream runs as configured.
	Place func(config.Stream) config.Stream
	// Events gets every stream's events. Nil: none.
	Events *events.Bus
}

// DefaultStreamSupervisor restarts a crashed stream actor after a delay that
// doubles from 1 s to 1 min (with jitter), and stops it when it has crashed
// 10 times within 10 minutes: a stream actor crashes only on a bug, and a
// bug that repeats that often will not go away by itself.
func DefaultStreamSupervisor() *supervision.RestartWithBackoff {
	return &supervision.RestartWithBackoff{
		Backoff:     supervision.Backoff{Initial: time.Second, Max: time.Minute},
		MaxRestarts: 10,
		Window:      10 * time.Minute,
	}
}

// Props returns the Props of the streams supervisor.
func Props(cfg Config) *actor.Props {
	if cfg.Supervisor == nil {
		cfg.Supervisor = DefaultStreamSupervisor()
	}
	if cfg.InputSupervisor == nil {
		cfg.InputSupervisor = stream.DefaultInputSupervisor()
	}
	if cfg.StreamProps == nil {
		cfg.StreamProps = stream.Props
	}
	if cfg.Viewers == nil {
		cfg.Viewers = func(string) int { return 0 }
	}
	if cfg.Place == nil {
		cfg.Place = func(s config.Stream) config.Stream { return s }
	}
	cfg.Idle = cfg.Idle.withDefaults()
	return actor.PropsFromProducer(func() actor.Actor {
		return &streamsActor{
			cfg:     cfg,
			entries: make(map[string]*entry),
			byPID:   make(map[string]string),
			counts:  make(stateCounts),
			dirty:   true, // a new instance always publishes its own Directory
		}
	})
}

type streamsActor struct {
	cfg     Config
	entries map[string]*entry // by stream name
	byPID   map[string]string // kit.Key(pid) -> name, for live stream actors
	counts  stateCounts
	seq     int     // numbers stream actors, so a fresh one never clashes with one still stopping
	leaving bool    // stopping or restarting: protoactor is stopping the children
	dirty   bool    // entries changed since the last published Directory
	sweeper sweeper // the idle check of on-demand and template streams (lifecycle.go)
}

// entry is one configured, enabled stream, or one a template's publisher
// created.
type entry struct {
	name   string
	pid    *actor.PID // nil once its supervisor gave up on it, or while an on-demand stream sleeps
	status *atomic.Pointer[stream.Status]
	state  string // as last reported; "" before the first report
	life   life   // static, on demand, or a template's (lifecycle.go)
	// dynamic is the configuration of a template's stream, which the
	// configuration in effect does not hold.
	dynamic *config.Stream
	// relay is the configuration of a relay of a stream that only other
	// nodes configure (Open.Relay); never in the configuration.
	relay *config.Stream
	// transcoded: the actor runs with a transcoder, which an Update
	// cannot add or remove (sync restarts the actor instead).
	transcoded bool
	// idleSince is when the sweeper first found the stream idle (no
	// viewers, no publisher); zero while it is not.
	idleSince time.Time
}

var _ actor.SupervisorStrategy = (*streamsActor)(nil)

// Receive implements actor.Actor.
func (a *streamsActor) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *actor.Started:
		a.onStarted(ctx)
	case *Apply:
		ctx.Respond(a.onApply(ctx, m))
	case *StopStream:
		ctx.Respond(a.onStopStream(ctx, m))
	case *Open:
		ctx.Respond(a.onOpen(ctx, m))
	case *sweep:
		a.onSweep(ctx, m)
	case *stream.StatusChanged:
		a.onStatusChanged(m)
	case *actor.Terminated:
		a.onTerminated(ctx, m)
	case *actor.Stopping:
		a.leaving = true
		a.sweeper.stop()
	case *actor.Stopped, *actor.Restarting:
		a.leaving = true
		a.sweeper.stop()
		// The children are gone (protoactor stops them first); take
		// their states out of the gauges. A restarted instance adds
		// them back as its fresh children report.
		a.counts.clear()
	}
}

func (a *streamsActor) onStarted(ctx actor.Context) {
	cur := a.cfg.Current()
	var errs []error
	for i := range cur.Streams {
		errs = append(errs, a.sync(ctx, cur, cur.Streams[i].Name))
	}
	a.publish()
	if err := errors.Join(errs...); err != nil {
		ctx.Logger().Error("streams: starting streams", slog.Any("err", err))
	}
}

func (a *streamsActor) onApply(ctx actor.Context, m *Apply) *ApplyReply {
	cur := m.Config
	if cur == nil {
		cur = a.cfg.Current() // a placement change: the configuration is the same
	}
	for _, name := range m.Diff.Removed {
		a.remove(ctx, name)
	}
	var errs []error
	for _, name := range m.Diff.Added {
		errs = append(errs, a.sync(ctx, cur, name))
	}
	for _, name := range m.Diff.Changed {
		errs = append(errs, a.sync(ctx, cur, name))
	}
	a.publish()
	return &ApplyReply{Err: errors.Join(errs...)}
}

func (a *streamsActor) onStopStream(ctx actor.Context, m *StopStream) *StopStreamReply {
	e, ok := a.entries[m.Name]
	if !ok {
		return &StopStreamReply{Err: fmt.Errorf("streams: %q: %w", m.Name, ErrNotRunning)}
	}
	cfg, ok := a.config(e)
	if !ok {
		return &StopStreamReply{Err: fmt.Errorf("streams: %q: %w", m.Name, ErrNotRunning)}
	}
	life, dyn := e.life, e.dynamic
	a.remove(ctx, m.Name)
	var err error
	switch {
	case e.relay != nil: // it starts again when a viewer opens it
	case life == lifeOnDemand:
		a.park(cfg.Name) // it starts again at its next viewer
	default:
		err = a.start(ctx, cfg, life, dyn)
	}
	a.publish()
	return &StopStreamReply{Err: err}
}

func (a *streamsActor) onStatusChanged(m *stream.StatusChanged) {
	name, ok := a.byPID[kit.Key(m.Stream)]
	if !ok {
		return // from an actor stopped since
	}
	e := a.entries[name]
	a.counts.move(e.state, m.State)
	e.state = m.State
}
