package streams

import (
	"log/slog"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/actors/kit"
	"streamhive/actors/stream"
	"streamhive/media"
)

// onTerminated handles a stream actor that stopped without being asked:
// its supervisor gave up on it. The stream stays listed, in state error,
// until a configuration change or StopStream starts it again.
func (a *streamsActor) onTerminated(ctx actor.Context, m *actor.Terminated) {
	key := kit.Key(m.Who)
	name, ok := a.byPID[key]
	if !ok || a.leaving {
		return // stopped by us
	}
	delete(a.byPID, key)
	e := a.entries[name]
	e.pid = nil
	last := e.status.Load()
	dead := &stream.Status{Name: media.StreamName(name), State: stream.StateError, Active: -1}
	if last != nil {
		dead.Started = last.Started
	}
	e.status.Store(dead)
	a.counts.move(e.state, stream.StateError)
	e.state = stream.StateError
	ctx.Logger().Error("streams: stream stopped by its supervisor", slog.String("stream", name))
}

// HandleFailure implements actor.SupervisorStrategy for the stream actors.
func (a *streamsActor) HandleFailure(sys *actor.ActorSystem, sup actor.Supervisor,
	child *actor.PID, rs *actor.RestartStatistics, reason, _ any,
) {
	if _, ok := a.byPID[kit.Key(child)]; !ok {
		sup.StopChildren(child) // already removed
		return
	}
	if d := a.cfg.Supervisor.Handle(sys, sup, child, rs, reason); d.Restart() {
		streamRestarts.Inc()
	}
}
