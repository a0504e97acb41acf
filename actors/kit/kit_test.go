package kit_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/actors/kit"
	"streamhive/actors/kit/kittest"
	"streamhive/supervision"
)

type (
	ping struct{}
	pong struct{}
)

func TestAsk(t *testing.T) {
	kittest.Run(t, func(t *testing.T, sys *actor.ActorSystem) {
		echo := sys.Root.Spawn(actor.PropsFromFunc(func(c actor.Context) {
			if _, ok := c.Message().(*ping); ok {
				c.Respond(&pong{})
			}
		}))
		silent := sys.Root.Spawn(actor.PropsFromFunc(func(actor.Context) {}))
		gone := sys.Root.Spawn(actor.PropsFromFunc(func(actor.Context) {}))
		if err := sys.Root.StopFuture(gone).Wait(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { sys.Root.Stop(echo); sys.Root.Stop(silent) })

		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()

		if _, err := kit.Ask[*pong](ctx, sys.Root, echo, &ping{}); err != nil {
			t.Errorf("Ask(echo) = %v, want a pong", err)
		}
		if _, err := kit.Ask[*ping](ctx, sys.Root, echo, &ping{}); err == nil {
			t.Errorf("Ask for the wrong reply type succeeded")
		}
		if _, err := kit.Ask[*pong](ctx, sys.Root, gone, &ping{}); !errors.Is(err, kit.ErrActorGone) {
			t.Errorf("Ask(stopped actor) = %v, want ErrActorGone", err)
		}
		start := time.Now()
		if _, err := kit.Ask[*pong](ctx, sys.Root, silent, &ping{}); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Ask(silent actor) = %v, want DeadlineExceeded", err)
		}
		if waited := time.Since(start); waited != 10*time.Second {
			t.Errorf("Ask(silent actor) waited %v, want the 10s deadline", waited)
		}
		// The deadline has passed: protoactor would wait for ever on the
		// negative timeout; Ask must fail at once.
		if _, err := kit.Ask[*pong](ctx, sys.Root, echo, &ping{}); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Ask after the deadline = %v, want DeadlineExceeded", err)
		}
		if _, err := kit.Ask[*pong](context.Background(), sys.Root, nil, &ping{}); !errors.Is(err, kit.ErrActorGone) {
			t.Errorf("Ask(nil) = %v, want ErrActorGone", err)
		}
	})
}

// failing fails on every start, through kit.Fail or with a panic.
type failing struct {
	starts *atomic.Int32
	err    error
	panic  bool
}

func (f *failing) Receive(c actor.Context) {
	if _, ok := c.Message().(*actor.Started); !ok {
		return
	}
	f.starts.Add(1)
	if f.panic {
		panic(f.err)
	}
	kit.Fail(c, f.err)
}

// TestFailTakesThePanicPath checks that kit.Fail and a panic reach the
// parent's strategy alike, that restarts are delayed by the backoff in fake
// time, and that a Permanent error stops the child after one start.
func TestFailTakesThePanicPath(t *testing.T) {
	strategy := &supervision.RestartWithBackoff{
		Backoff:     supervision.Backoff{Initial: time.Hour, Max: time.Hour, Rand: func(time.Duration) time.Duration { return 0 }},
		MaxRestarts: 2,
		Window:      24 * time.Hour,
	}
	tests := []struct {
		name      string
		err       error
		panic     bool
		wantStart int32
	}{
		{"fail restarts within budget", errors.New("refused"), false, 3},
		{"panic restarts within budget", errors.New("refused"), true, 3},
		{"permanent stops at once", &supervision.Permanent{Err: errors.New("bad url")}, false, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kittest.Run(t, func(t *testing.T, sys *actor.ActorSystem) {
				probe := kittest.NewProbe(t, sys, actor.WithSupervisor(strategy))
				var starts atomic.Int32
				child := probe.SpawnChild(actor.PropsFromProducer(func() actor.Actor {
					return &failing{starts: &starts, err: tt.err, panic: tt.panic}
				}))
				synctest.Wait()
				if got := starts.Load(); got != 1 {
					t.Fatalf("starts before any backoff = %d, want 1", got)
				}
				time.Sleep(10 * time.Hour) // two half-hour restarts, then the budget
				synctest.Wait()
				if got := starts.Load(); got != tt.wantStart {
					t.Errorf("starts = %d, want %d", got, tt.wantStart)
				}
				if !probe.Terminated(child) {
					t.Errorf("child still running, want it stopped")
				}
				probe.Expect()
			})
		})
	}
}

func TestKey(t *testing.T) {
	a := actor.NewPID("local", "streams/cam1")
	b := actor.NewPID("local", "streams/cam1")
	if kit.Key(a) != kit.Key(b) {
		t.Errorf("Key differs for two pointers to one actor")
	}
	if kit.Key(a) == kit.Key(actor.NewPID("local", "streams/cam2")) {
		t.Errorf("Key equal for two actors")
	}
	if kit.Key(nil) != "" {
		t.Errorf("Key(nil) = %q, want empty", kit.Key(nil))
	}
}
