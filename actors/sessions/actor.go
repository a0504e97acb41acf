package sessions

import (
	"time"

	"github.com/asynkron/protoactor-go/actor"
)

func sessionProps(t *Table, s *session) *actor.Props {
	return actor.PropsFromProducer(func() actor.Actor { return &sessionActor{t: t, s: s} })
}

// sessionActor owns one session's clocks: it closes an HTTP session after
// inactivity and re-asks the backend when the decision's X-AuthDuration
// runs out (or when the API asks). The session's state lives in the
// Table's *session; the decisions are the Table's plain functions.
type sessionActor struct {
	t       *Table
	s       *session
	idleGen uint64
	askGen  uint64
	idle    *time.Timer
	reauth  *time.Timer
}

func (a *sessionActor) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *actor.Started:
		a.start(ctx)
	case *idleTick:
		if m.gen == a.idleGen {
			a.onIdle(ctx)
		}
	case *reauthTick:
		if m.gen == a.askGen {
			a.ask(ctx)
		}
	case *reauthNow:
		a.ask(ctx)
	case *reauthDone:
		if m.gen == a.askGen && a.t.applyReask(a.s, m.decision) {
			a.armReauth(ctx)
		}
	case *actor.Stopping, *actor.Restarting:
		stopTimer(a.idle)
		stopTimer(a.reauth)
	case *actor.Stopped:
		a.t.end(a.s, endClosed) // the server stops: so does every session
	}
}

func (a *sessionActor) start(ctx actor.Context) {
	a.s.pid.Store(ctx.Self())
	if a.s.isEnded() {
		ctx.Stop(ctx.Self()) // ended before its actor started
		return
	}
	if !a.s.conn {
		a.armIdle(ctx, a.t.o.IdleTimeout)
	}
	a.armReauth(ctx)
}

// onIdle closes the session if it has been idle for the timeout, or
// waits for the rest of it.
func (a *sessionActor) onIdle(ctx actor.Context) {
	expired, wait := idleLeft(a.s.lastActive(), time.Now(), a.t.o.IdleTimeout)
	if expired {
		a.t.end(a.s, endIdle)
		return
	}
	a.armIdle(ctx, wait)
}

func (a *sessionActor) armIdle(ctx actor.Context, d time.Duration) {
	a.idleGen++
	gen, root, self := a.idleGen, ctx.ActorSystem().Root, ctx.Self()
	a.idle = time.AfterFunc(d, func() { root.Send(self, &idleTick{gen: gen}) })
}

func (a *sessionActor) armReauth(ctx actor.Context) {
	stopTimer(a.reauth)
	a.askGen++
	gen, root, self := a.askGen, ctx.ActorSystem().Root, ctx.Self()
	d := reauthAfter(a.s.authDuration(), a.t.o.Duration)
	a.reauth = time.AfterFunc(d, func() { root.Send(self, &reauthTick{gen: gen}) })
}

// ask re-asks the backend in a goroutine: a slow backend must not hold
// the session's mailbox (a kick or a stop waits behind nothing). A newer
// ask makes an older one's answer stale.
func (a *sessionActor) ask(ctx actor.Context) {
	stopTimer(a.reauth)
	a.askGen++
	gen, t, s := a.askGen, a.t, a.s
	root, self := ctx.ActorSystem().Root, ctx.Self()
	go func() {
		d := t.reask(s)
		root.Send(self, &reauthDone{gen: gen, decision: d})
	}()
}

// idleLeft reports whether a session last active at last has been idle
// for timeout at now, and otherwise how long is left.
func idleLeft(last, now time.Time, timeout time.Duration) (bool, time.Duration) {
	left := last.Add(timeout).Sub(now)
	return left <= 0, left
}

// reauthAfter is when a decision of duration d is asked again: at its
// expiry, or after def for a decision without X-AuthDuration.
func reauthAfter(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}

func stopTimer(t *time.Timer) {
	if t != nil {
		t.Stop()
	}
}
