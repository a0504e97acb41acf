package keys

import (
	"context"
	"log/slog"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/actors/events"
)

// keyActor refreshes one stream's keys on a timer, one refresh at a time.
type keyActor struct {
	spec   Spec
	h      *Handle
	log    *slog.Logger
	ctx    context.Context
	cancel context.CancelFunc
	timer  *time.Timer
	// checked is when the key server was last asked whatever the keys
	// held (Source.Check).
	checked time.Time
}

// Props is the key actor of the stream spec names, serving h.
func Props(spec Spec, h *Handle) *actor.Props {
	return actor.PropsFromProducer(func() actor.Actor {
		log := spec.Log
		if log == nil {
			log = slog.Default()
		}
		return &keyActor{spec: spec, h: h, log: log.With(slog.String("stream", spec.Stream))}
	})
}

func (a *keyActor) Receive(c actor.Context) {
	switch m := c.Message().(type) {
	case *actor.Started:
		a.ctx, a.cancel = context.WithCancel(context.Background())
		a.refresh(c)
	case *tick:
		a.refresh(c)
	case *refreshed:
		a.report(m.err)
		a.schedule(c)
	case *actor.Stopping, *actor.Restarting:
		// A restart (a panic) keeps the Handle and its keys; this
		// instance's timer and refresh must not outlive it.
		a.cancel()
		if a.timer != nil {
			a.timer.Stop()
		}
	}
}

// refresh runs one refresh off the mailbox; its outcome comes back as
// refreshed. It asks the key server even with every key held when a
// check is due or the server is failing (so its return is seen).
func (a *keyActor) refresh(c actor.Context) {
	root, self, src, ctx := c.ActorSystem().Root, c.Self(), a.h.src, a.ctx
	every := a.spec.Check
	if every <= 0 {
		every = DefaultCheck
	}
	now := time.Now()
	check := a.h.status.Load().Err != "" || now.Sub(a.checked) >= every
	if check {
		a.checked = now
	}
	go func() {
		rctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		op := src.Refresh
		if check {
			op = src.Check
		}
		root.Send(self, &refreshed{err: op(rctx, now)})
	}()
}

func (a *keyActor) schedule(c actor.Context) {
	d := a.spec.Refresh
	if d <= 0 {
		d = DefaultRefresh
	}
	root, self := c.ActorSystem().Root, c.Self()
	a.timer = time.AfterFunc(d, func() { root.Send(self, &tick{}) })
}

// report publishes a change of the key server's state: stats, log, event.
func (a *keyActor) report(err error) {
	prev := a.h.Status()
	msg := ""
	if err != nil {
		msg = err.Error() // cpix errors name the key server without its query
	}
	if msg == prev.Err {
		return
	}
	a.h.status.Store(&Status{Err: msg, Since: time.Now()})
	name, fields := events.DRMKeysReady, []events.Field(nil)
	if err != nil {
		name, fields = events.DRMKeysFailed, []events.Field{events.F("reason", msg)}
		a.log.Error("drm: key server failing; held keys protect their periods, periods without a key are refused",
			slog.String("error", msg), slog.Bool("serving", a.h.Status().Serving))
	} else {
		a.log.Info("drm: keys fetched")
	}
	if a.spec.Bus != nil {
		a.spec.Bus.Publish(events.Event{Event: name, Media: a.spec.Stream, Fields: fields})
	}
}
