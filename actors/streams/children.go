package streams

import (
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/actors/config"
	"streamhive/actors/input"
	"streamhive/actors/kit"
	"streamhive/actors/stream"
	"streamhive/media"
)

// sync makes stream name's actor match cfg: start it, update it, or stop
// it when it is gone from cfg or disabled.
func (a *streamsActor) sync(ctx actor.Context, cfg *config.Server, name string) error {
	eff, ok := a.effective(cfg, name)
	if !ok || eff.Disabled {
		a.remove(ctx, name)
		return nil
	}
	life := lifeOf(&eff)
	e, ok := a.entries[name]
	running := ok && e.pid != nil
	if running && e.transcoded == (eff.Transcoder != nil) {
		// A template's stream or a relay the configuration now names is its own.
		e.life, e.dynamic, e.relay = life, nil, nil
		ctx.Send(e.pid, &stream.Update{Config: eff})
		a.sweeper.want(a.root(ctx), ctx.Self(), life)
		return nil
	}
	// An entry whose actor was given up on, an on-demand one asleep, or
	// one whose transcoder comes or goes (an owner that becomes a relay,
	// or back): a fresh actor.
	a.remove(ctx, name)
	if life == lifeOnDemand && !running {
		a.park(name)
		return nil
	}
	return a.start(ctx, eff, life, nil)
}

// start spawns a stream actor for cfg and marks how it lives: dyn is the
// configuration of a template's stream (nil for a configured one).
func (a *streamsActor) start(ctx actor.Context, cfg config.Stream, life life, dyn *config.Stream) error {
	if err := a.spawn(ctx, cfg); err != nil {
		return err
	}
	e := a.entries[cfg.Name]
	e.life, e.dynamic = life, dyn
	a.sweeper.want(a.root(ctx), ctx.Self(), life)
	return nil
}

func (a *streamsActor) spawn(ctx actor.Context, cfg config.Stream) error {
	a.seq++
	status := new(atomic.Pointer[stream.Status])
	pullers, inputs := a.cfg.Pullers, a.cfg.InputSupervisor
	props := a.cfg.StreamProps(stream.Config{
		Stream: cfg,
		Input: func(s stream.InputSpec) *actor.Props {
			return input.Props(input.Config{Spec: s, Pullers: pullers})
		},
		Supervisor: inputs,
		Status:     status,
		Events:     a.cfg.Events,
	})
	pid, err := ctx.SpawnNamed(props, fmt.Sprintf("%s#%d", cfg.Name, a.seq))
	if err != nil {
		return fmt.Errorf("streams: starting %q: %w", cfg.Name, err)
	}
	// Until the actor publishes its first snapshot (its Started runs on
	// its own goroutine), readers see it starting now, waiting.
	status.CompareAndSwap(nil, &stream.Status{
		PID: pid, Name: media.StreamName(cfg.Name), Started: time.Now(), State: stream.StateWaiting, Active: -1,
	})
	a.entries[cfg.Name] = &entry{name: cfg.Name, pid: pid, status: status, transcoded: cfg.Transcoder != nil}
	a.dirty = true
	a.byPID[kit.Key(pid)] = cfg.Name
	return nil
}

// remove stops stream name's actor, if it runs, and forgets the stream.
func (a *streamsActor) remove(ctx actor.Context, name string) {
	e, ok := a.entries[name]
	if !ok {
		return
	}
	if e.pid != nil {
		delete(a.byPID, kit.Key(e.pid))
		ctx.Stop(e.pid)
	}
	a.counts.move(e.state, "")
	delete(a.entries, name)
	a.dirty = true
}

// publish stores a new Directory of the current entries, if they changed
// since the last one. (A Directory holds status pointers, so a stream's new
// status needs no new Directory.)
func (a *streamsActor) publish() {
	if !a.dirty {
		return
	}
	a.dirty = false
	m := make(map[string]*atomic.Pointer[stream.Status], len(a.entries))
	var dyn []config.Stream
	for name, e := range a.entries {
		m[name] = e.status
		if e.dynamic != nil {
			dyn = append(dyn, *e.dynamic)
		}
	}
	d := &Directory{streams: m}
	if len(dyn) > 0 {
		slices.SortFunc(dyn, func(x, y config.Stream) int { return strings.Compare(x.Name, y.Name) })
		d.dynamic = &dyn
	}
	a.cfg.Directory.Store(d)
}
