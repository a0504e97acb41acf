package kittest

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/actors/kit"
)

// Probe is a parent actor for tests. It spawns children on request, records
// every user message it receives (events its children emit) and every child
// that terminates. It answers nothing. A Probe is safe for concurrent use.
type Probe struct {
	t   testing.TB
	sys *actor.ActorSystem
	pid *actor.PID

	mu         sync.Mutex
	msgs       []any           // guarded by mu
	terminated map[string]bool // by kit.Key; guarded by mu
}

// NewProbe spawns a probe under the root. opts apply to the probe's Props,
// e.g. actor.WithSupervisor to choose how its children are supervised. The
// probe and its children are stopped at test cleanup.
func NewProbe(t testing.TB, sys *actor.ActorSystem, opts ...actor.PropsOption) *Probe {
	t.Helper()
	p := &Probe{t: t, sys: sys, terminated: make(map[string]bool)}
	p.pid = sys.Root.Spawn(actor.PropsFromFunc(p.receive, opts...))
	t.Cleanup(func() {
		if err := sys.Root.StopFuture(p.pid).Wait(); err != nil {
			t.Errorf("stopping probe: %v", err)
		}
	})
	return p
}

// spawnChild asks the probe to spawn Props as its child.
type spawnChild struct {
	props *actor.Props
	name  string
}

type spawnChildReply struct {
	pid *actor.PID
	err error
}

func (p *Probe) receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *actor.Started, *actor.Stopping, *actor.Stopped, *actor.Restarting:
	case *spawnChild:
		if m.name == "" {
			ctx.Respond(&spawnChildReply{pid: ctx.Spawn(m.props)})
			return
		}
		pid, err := ctx.SpawnNamed(m.props, m.name)
		ctx.Respond(&spawnChildReply{pid: pid, err: err})
	case *actor.Terminated:
		p.mu.Lock()
		p.terminated[kit.Key(m.Who)] = true
		p.mu.Unlock()
	default:
		p.mu.Lock()
		p.msgs = append(p.msgs, m)
		p.mu.Unlock()
	}
}

// PID returns the probe's PID.
func (p *Probe) PID() *actor.PID { return p.pid }

// SpawnChild spawns props as a child of the probe and returns its PID.
func (p *Probe) SpawnChild(props *actor.Props) *actor.PID {
	p.t.Helper()
	return p.SpawnNamed(props, "")
}

// SpawnNamed spawns props as a child of the probe under name (an automatic
// name when empty) and returns its PID.
func (p *Probe) SpawnNamed(props *actor.Props, name string) *actor.PID {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	rep, err := kit.Ask[*spawnChildReply](ctx, p.sys.Root, p.pid, &spawnChild{props: props, name: name})
	if err == nil {
		err = rep.err
	}
	if err != nil {
		p.t.Fatalf("probe: spawning child: %v", err)
	}
	return rep.pid
}

// Messages returns the messages received since the last Expect or Take.
func (p *Probe) Messages() []any {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.msgs)
}

// Take returns the messages received since the last Expect or Take and
// forgets them.
func (p *Probe) Take() []any {
	p.mu.Lock()
	defer p.mu.Unlock()
	msgs := p.msgs
	p.msgs = nil
	return msgs
}

// Expect fails the test unless the messages received since the last Expect
// or Take are want, in order (compared with reflect.DeepEqual), and forgets
// them. Expect() with no arguments asserts that nothing arrived.
func (p *Probe) Expect(want ...any) {
	p.t.Helper()
	got := p.Take()
	if len(got) == 0 && len(want) == 0 {
		return
	}
	if !reflect.DeepEqual(got, want) {
		p.t.Errorf("probe got %s, want %s", describe(got), describe(want))
	}
}

// Terminated reports whether child has stopped.
func (p *Probe) Terminated(child *actor.PID) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.terminated[kit.Key(child)]
}

func describe(msgs []any) string {
	s := "["
	for i, m := range msgs {
		if i > 0 {
			s += ", "
		}
		s += fmt.Sprintf("%T%+v", m, m)
	}
	return s + "]"
}
