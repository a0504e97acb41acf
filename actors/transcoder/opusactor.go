package transcoder

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/VictoriaMetrics/metrics"
	"github.com/asynkron/protoactor-go/actor"
)

// opusRestarts counts restarts of Opus encoders across streams.
var opusRestarts = metrics.NewCounter(`streamhive_actor_restarts_total{actor="opus"}`)

// OpusProps returns the Props of a stream's Opus actor: it runs an
// AAC-to-Opus encoder (a child session, restarted by cfg.Supervisor when
// it fails) while cfg.Demand counts a viewer, and stops it cfg.Grace after
// the last one left. Idle, it costs a mailbox.
func OpusProps(cfg OpusConfig) *actor.Props {
	if cfg.Supervisor == nil {
		cfg.Supervisor = DefaultSupervisor()
	}
	if cfg.Grace <= 0 {
		cfg.Grace = DefaultOpusGrace
	}
	return actor.PropsFromProducer(func() actor.Actor { return &opusActor{cfg: cfg} })
}

// opusActor owns the encoder's lifetime.
type opusActor struct {
	cfg     OpusConfig
	session *actor.PID  // the running encoder; nil when none
	grace   *time.Timer // pending stop after the last viewer; nil when none
	gen     int         // numbers grace timers
}

var _ actor.SupervisorStrategy = (*opusActor)(nil)

// Receive implements actor.Actor.
func (a *opusActor) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *actor.Started:
		a.cfg.Demand.bind(ctx.ActorSystem().Root, ctx.Self())
		a.follow(ctx) // a viewer may have come first
	case *opusDemandChanged:
		a.follow(ctx)
	case *opusGraceOver:
		if m.gen == a.gen {
			a.grace = nil
			a.stopIdle(ctx)
		}
	case *actor.Stopping, *actor.Restarting:
		a.stopGrace()
	}
}

// follow starts the encoder for a first viewer, or arms the grace timer
// after the last one.
func (a *opusActor) follow(ctx actor.Context) {
	if a.cfg.Demand.count() > 0 {
		a.stopGrace()
		if a.session == nil {
			props := actor.PropsFromProducer(func() actor.Actor { return &opusSession{cfg: a.cfg} })
			a.session = ctx.SpawnPrefix(props, "encoder")
		}
		return
	}
	if a.session == nil || a.grace != nil {
		return
	}
	a.gen++
	root, self, gen := ctx.ActorSystem().Root, ctx.Self(), a.gen
	a.grace = time.AfterFunc(a.cfg.Grace, func() { root.Send(self, &opusGraceOver{gen: gen}) })
}

// stopIdle stops the encoder when nobody came back during the grace.
func (a *opusActor) stopIdle(ctx actor.Context) {
	if a.cfg.Demand.count() == 0 && a.session != nil {
		ctx.Stop(a.session) // its goroutine closes the derived track
		a.session = nil
	}
}

// stopGrace cancels a pending stop.
func (a *opusActor) stopGrace() {
	if a.grace != nil {
		a.grace.Stop()
		a.grace = nil
		a.gen++
	}
}

// HandleFailure implements actor.SupervisorStrategy for the encoder: a
// failure is logged and the encoder restarts after the strategy's backoff;
// the stream and its other outputs never notice.
func (a *opusActor) HandleFailure(sys *actor.ActorSystem, sup actor.Supervisor,
	child *actor.PID, rs *actor.RestartStatistics, reason, _ any,
) {
	err, ok := reason.(error)
	if !ok {
		err = fmt.Errorf("panic: %v", reason)
	}
	d := a.cfg.Supervisor.Handle(sys, sup, child, rs, reason)
	if d.Restart() {
		opusRestarts.Inc()
	}
	sys.Logger().Error("transcoder: Opus encoder failed", slog.String("stream", string(a.cfg.Stream)),
		slog.Any("err", err), slog.Bool("restart", d.Restart()), slog.Duration("delay", d.Delay))
}
