package push

import (
	"log/slog"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/actors/config"
	"streamhive/actors/events"
	"streamhive/supervision"
)

// Props returns the Props of a target actor. The target spawns its session
// and restarts it after each failure until retry_limit failures in a row
// (no limit when it is 0) or a permanent error; then it stays, idle, with
// its stats in state "error", until the stream stops it.
func Props(cfg Config) *actor.Props {
	if cfg.Senders == nil {
		cfg.Senders = DefaultSenders()
	}
	return actor.PropsFromProducer(func() actor.Actor {
		return &targetActor{cfg: cfg, strategy: strategyFor(cfg)}
	})
}

// strategyFor is the restart policy of cfg's sessions.
func strategyFor(cfg Config) supervision.RestartWithBackoff {
	initial := cfg.Backoff
	if initial <= 0 {
		initial = time.Duration(cfg.Push.RetryTimeout) * time.Second
	}
	if initial <= 0 {
		initial = DefaultRetryTimeout
	}
	return supervision.RestartWithBackoff{
		Backoff:     supervision.Backoff{Initial: initial, Max: max(initial, maxRetryDelay)},
		MaxRestarts: max(cfg.Push.RetryLimit, 0),
	}
}

type targetActor struct {
	cfg      Config
	strategy supervision.RestartWithBackoff
}

var _ actor.SupervisorStrategy = (*targetActor)(nil)

// Receive implements actor.Actor.
func (a *targetActor) Receive(ctx actor.Context) {
	if _, ok := ctx.Message().(*actor.Started); ok {
		ctx.Spawn(sessionProps(a.cfg))
	}
}

// HandleFailure implements actor.SupervisorStrategy for the session: it
// records the failure and restarts the session after the backoff delay,
// or stops it for good. It runs on the target's goroutine.
func (a *targetActor) HandleFailure(sys *actor.ActorSystem, sup actor.Supervisor,
	child *actor.PID, _ *actor.RestartStatistics, reason, _ any,
) {
	err, ok := reason.(error)
	if !ok {
		err = &supervision.Permanent{Err: panicError{reason}} // a panic is a bug: no retry loop around it
	}
	stats := a.cfg.Stats
	inRow := stats.sessionFailed(err, false)
	d := a.strategy.Decide(inRow-1, err)
	log := sys.Logger().With(slog.String("stream", string(a.cfg.Stream)), slog.String("push", a.cfg.ID))
	a.cfg.Events.Publish(events.Event{Event: events.PushFailed, Media: string(a.cfg.Stream), Fields: []events.Field{
		events.F("url", Redact(a.cfg.Push.URL)), events.F("id", a.cfg.ID), events.F("error", config.ScrubError(err, a.cfg.Push.URL).Error()),
		events.F("retry_count", inRow), events.F("final", !d.Restart()),
	}})
	if !d.Restart() {
		stats.final.Store(true)
		log.Warn("push: giving up", slog.String("why", d.Why), slog.Any("err", err))
		sup.StopChildren(child)
		return
	}
	stats.Reconnects.Add(1)
	log.Info("push: session failed, reconnecting", slog.Duration("in", d.Delay), slog.Any("err", err))
	time.AfterFunc(d.Delay, func() { sup.RestartChildren(child) })
}

// panicError carries a session's panic value as its last_error.
type panicError struct{ v any }

func (p panicError) Error() string { return "panic: " + slog.AnyValue(p.v).String() }
