package sessions

import (
	"log/slog"
	"time"

	"github.com/asynkron/protoactor-go/actor"
)

// Props returns the Props of the `sessions` supervisor over t: a child of
// the server's root that starts one actor per session t admits, and
// sweeps t's expired refusals. While it runs, t's sessions time out, are
// re-asked and can be re-authorized by the API; Stop ends every session.
func Props(t *Table) *actor.Props {
	return actor.PropsFromProducer(func() actor.Actor { return &supervisor{t: t} })
}

// supervisor is the `sessions` actor. Its children are the sessions,
// named by their ids; the default strategy restarts a crashed one, which
// then re-arms its timers from the shared session state.
type supervisor struct {
	t     *Table
	sweep *time.Timer
}

func (a *supervisor) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *actor.Started:
		a.t.attach(ctx.ActorSystem().Root, ctx.Self())
		a.adopt(ctx)
		a.armSweep(ctx)
	case *spawnSession:
		a.spawn(ctx, m.s)
	case *sweepTick:
		a.t.sweep(time.Now())
		a.armSweep(ctx)
	case *actor.Stopping, *actor.Restarting:
		a.t.detach()
		a.sweep.Stop()
	}
}

func (a *supervisor) armSweep(ctx actor.Context) {
	root, self := ctx.ActorSystem().Root, ctx.Self()
	a.sweep = time.AfterFunc(a.t.o.NegativeTTL, func() { root.Send(self, &sweepTick{}) })
}

// adopt starts the actors of the sessions the Table admitted before the
// supervisor started (SpawnNamed returns before the child's Started).
func (a *supervisor) adopt(ctx actor.Context) {
	a.t.byID.Range(func(_, v any) bool {
		a.spawn(ctx, v.(*session))
		return true
	})
}

// spawn starts s's actor once; an ended session gets none.
func (a *supervisor) spawn(ctx actor.Context, s *session) {
	if s.isEnded() || !s.spawned.CompareAndSwap(false, true) {
		return
	}
	if _, err := ctx.SpawnNamed(sessionProps(a.t, s), s.id); err != nil {
		ctx.Logger().Warn("session actor not started", slog.String("session_id", s.id), slog.Any("err", err))
	}
}
