package transcoder

import (
	"fmt"
	"log/slog"

	"github.com/VictoriaMetrics/metrics"
	"github.com/asynkron/protoactor-go/actor"
)

// sessionRestarts counts restarts of transcoder sessions across streams.
var sessionRestarts = metrics.NewCounter(`streamhive_actor_restarts_total{actor="transcoder"}`)

// Props returns the Props of a stream's transcoder actor. It spawns one
// session and restarts it by cfg.Supervisor's strategy when it fails.
func Props(cfg Config) *actor.Props {
	if cfg.Supervisor == nil {
		cfg.Supervisor = DefaultSupervisor()
	}
	if cfg.Stats == nil {
		cfg.Stats = NewStats(cfg.Spec)
	}
	return actor.PropsFromProducer(func() actor.Actor { return &transcoderActor{cfg: cfg} })
}

// transcoderActor supervises the stream's transcoding session.
type transcoderActor struct {
	cfg Config
}

var _ actor.SupervisorStrategy = (*transcoderActor)(nil)

// Receive implements actor.Actor.
func (a *transcoderActor) Receive(ctx actor.Context) {
	if _, ok := ctx.Message().(*actor.Started); ok {
		l := Ladder(a.cfg.Spec, a.cfg.SegmentDuration)
		props := actor.PropsFromProducer(func() actor.Actor { return &session{cfg: a.cfg, ladder: l} })
		if _, err := ctx.SpawnNamed(props, sessionName(l)); err != nil {
			ctx.Logger().Error("transcoder: cannot start its session", slog.String("stream", string(a.cfg.Stream)), slog.Any("err", err))
		}
	}
}

// HandleFailure implements actor.SupervisorStrategy for the session: the
// failure goes to the stats (the API's transcoder.error) and the log, and
// the session restarts after the strategy's backoff.
func (a *transcoderActor) HandleFailure(sys *actor.ActorSystem, sup actor.Supervisor,
	child *actor.PID, rs *actor.RestartStatistics, reason, _ any,
) {
	err, ok := reason.(error)
	if !ok {
		err = fmt.Errorf("panic: %v", reason)
	}
	a.cfg.Stats.SetFailed(err)
	d := a.cfg.Supervisor.Handle(sys, sup, child, rs, reason)
	if d.Restart() {
		sessionRestarts.Inc()
	}
	sys.Logger().Error("transcoder: session failed", slog.String("stream", string(a.cfg.Stream)),
		slog.String("session", child.Id), slog.Any("err", err), slog.Bool("restart", d.Restart()),
		slog.Duration("delay", d.Delay))
}
