package streams

import (
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/actors/config"
	"streamhive/actors/stream"
	"streamhive/media"
)

// life is how a stream's actor lives.
type life int

const (
	lifeStatic   life = iota // runs always (static, the default; and streams fed by publishers)
	lifeOnDemand             // runs from its first viewer until Idle.OnDemand with none
	lifeDynamic              // a template's: runs from its publisher until Idle.Dynamic without one
)

func lifeOf(s *config.Stream) life {
	if s.OnDemand() {
		return lifeOnDemand
	}
	return lifeStatic
}

// Idle is how long a stream that runs only when wanted outlives the want.
type Idle struct {
	// OnDemand is how long an on-demand stream runs with no viewer
	// (Flussonic's clients_timeout); DefaultOnDemandIdle when zero.
	OnDemand time.Duration
	// Dynamic is how long a template's stream outlives its publisher, so
	// that an encoder that reconnects finds its stream and its viewers
	// keep their playlist; DefaultDynamicIdle when zero.
	Dynamic time.Duration
}

// Defaults of Idle.
const (
	DefaultOnDemandIdle = 30 * time.Second
	DefaultDynamicIdle  = 30 * time.Second
)

// sweepInterval is how often the supervisor looks for idle streams while
// it has an on-demand or a template's stream running.
const sweepInterval = time.Second

func (i Idle) withDefaults() Idle {
	if i.OnDemand <= 0 {
		i.OnDemand = DefaultOnDemandIdle
	}
	if i.Dynamic <= 0 {
		i.Dynamic = DefaultDynamicIdle
	}
	return i
}

func (i Idle) of(l life) time.Duration {
	if l == lifeDynamic {
		return i.Dynamic
	}
	return i.OnDemand
}

// onOpen starts a sleeping on-demand stream, or a template's stream for a
// publisher (see Open).
func (a *streamsActor) onOpen(ctx actor.Context, m *Open) *OpenReply {
	if rep, done := a.openRelay(ctx, m); done {
		return rep
	}
	if e, ok := a.entries[m.Name]; ok {
		if e.pid != nil || e.life != lifeOnDemand {
			return &OpenReply{} // running, or given up on by its supervisor
		}
		cfg, ok := a.config(e)
		if !ok {
			return &OpenReply{Err: fmt.Errorf("streams: %q: %w", m.Name, ErrNotRunning)}
		}
		a.remove(ctx, m.Name)
		err := a.start(ctx, cfg, lifeOnDemand, nil)
		a.publish()
		return &OpenReply{Err: err}
	}
	dyn, ok := a.cfg.Current().Dynamic(m.Name)
	if !m.Publish || !ok || dyn.Disabled {
		return &OpenReply{Err: fmt.Errorf("streams: %q: %w", m.Name, ErrNotRunning)}
	}
	err := a.start(ctx, dyn, lifeDynamic, &dyn)
	if err == nil {
		ctx.Logger().Info("streams: stream created from its template", slog.String("stream", m.Name),
			slog.String("template", dyn.Template))
	}
	a.publish()
	return &OpenReply{Err: err}
}

// park lists on-demand stream name, asleep: no actor until a viewer comes.
func (a *streamsActor) park(name string) {
	status := new(atomic.Pointer[stream.Status])
	status.Store(&stream.Status{Name: media.StreamName(name), State: stream.StateStopped, Active: -1})
	a.entries[name] = &entry{name: name, status: status, life: lifeOnDemand}
	a.dirty = true
}

// sweep is the supervisor's idle timer; gen tells a stale one.
type sweep struct{ gen int }

// IgnoreDeadLetterLogging: a sweep may arrive after the supervisor stopped.
func (*sweep) IgnoreDeadLetterLogging() {}

// onSweep stops the streams idle for their Idle time: an on-demand one
// goes back to sleep, a template's one goes away. It re-arms while any
// such stream runs.
func (a *streamsActor) onSweep(ctx actor.Context, m *sweep) {
	if !a.sweeper.current(m) {
		return
	}
	a.sweeper.timer = nil
	now, watching := time.Now(), false
	for _, e := range a.entries {
		if e.life == lifeStatic || e.pid == nil {
			continue
		}
		watching = true
		switch {
		case !a.idle(e):
			e.idleSince = time.Time{}
		case e.idleSince.IsZero():
			e.idleSince = now
		case now.Sub(e.idleSince) >= a.cfg.Idle.of(e.life):
			a.retire(ctx, e)
		}
	}
	if watching {
		a.sweeper.arm()
	}
	a.publish()
}

// idle reports whether nobody wants e now: an on-demand stream without
// viewers, a template's stream that no input (its publisher) feeds.
func (a *streamsActor) idle(e *entry) bool {
	if e.life == lifeOnDemand {
		return a.cfg.Viewers(e.name) == 0
	}
	st := e.status.Load()
	return st == nil || st.Active < 0
}

func (a *streamsActor) retire(ctx actor.Context, e *entry) {
	a.remove(ctx, e.name)
	if e.relay != nil {
		ctx.Logger().Info("streams: relay stopped: no viewers", slog.String("stream", e.name))
		return
	}
	if e.life == lifeOnDemand {
		a.park(e.name)
		ctx.Logger().Info("streams: on-demand stream stopped: no viewers", slog.String("stream", e.name))
		return
	}
	ctx.Logger().Info("streams: template's stream removed: no publisher", slog.String("stream", e.name))
}

// root is the actor system's root context, for the sweeper's timer.
func (a *streamsActor) root(ctx actor.Context) *actor.RootContext { return ctx.ActorSystem().Root }

// sweeper is the supervisor's idle timer (time.AfterFunc with a
// generation, not ctx.SetReceiveTimeout, which races under -race). It
// runs while an on-demand or a template's stream runs.
type sweeper struct {
	gen   int
	timer *time.Timer
	root  *actor.RootContext
	self  *actor.PID
}

// want arms the timer for a stream that lives l, unless it runs.
func (s *sweeper) want(root *actor.RootContext, self *actor.PID, l life) {
	if l == lifeStatic || s.timer != nil {
		return
	}
	s.root, s.self = root, self
	s.arm()
}

func (s *sweeper) arm() {
	s.gen++
	gen, root, self := s.gen, s.root, s.self
	s.timer = time.AfterFunc(sweepInterval, func() { root.Send(self, &sweep{gen: gen}) })
}

func (s *sweeper) current(m *sweep) bool { return s.timer != nil && m.gen == s.gen }

func (s *sweeper) stop() {
	if s.timer != nil {
		s.timer.Stop()
		s.timer = nil
	}
	s.gen++
}
