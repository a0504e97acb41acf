package stream_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/actors/config"
	"streamhive/actors/input"
	"streamhive/actors/kit/kittest"
	"streamhive/actors/stream"
	"streamhive/media"
	"streamhive/supervision"
)

// counted counts the pulls of a puller: one per connection.
type counted struct {
	input.Puller
	calls atomic.Int32
}

func (c *counted) Pull(ctx context.Context, url string, opts map[string]string,
	publish func([]media.Track) (media.Sink, error),
) error {
	c.calls.Add(1)
	return c.Puller.Pull(ctx, url, opts, publish)
}

func pair(t *testing.T, sys *actor.ActorSystem, backup config.Input, p, b input.Puller) fixture {
	t.Helper()
	return spawnStream(t, sys, config.Stream{Name: "cam1", MediaOptions: config.MediaOptions{
		Inputs: []config.Input{{URL: "primary://"}, backup},
	}}, input.Pullers{"primary": p, "backup": b})
}

// A backup without standby is connected only when the primary fails, and
// stopped again once the primary has returned.
func TestBackupConnectsOnDemand(t *testing.T) {
	kittest.Run(t, func(t *testing.T, sys *actor.ActorSystem) {
		primary := newLive(1, 0, 0)
		backup := &counted{Puller: newLive(2, 10, 500*time.Second)}
		f := pair(t, sys, config.Input{URL: "backup://", ReturnAfter: &config.Timeout{Seconds: 4}}, primary, backup)
		out := watch(t, f)

		wait(2 * time.Second)
		if n := backup.calls.Load(); n != 0 {
			t.Fatalf("the backup connected %d times while the primary delivers, want 0", n)
		}
		if h := f.status.Load().Inputs[1].Health; h != "idle" {
			t.Errorf("backup health %q, want idle", h)
		}
		primary.fail <- errors.New("connection reset")
		wait(1050 * time.Millisecond) // connect, then its first keyframe 400 ms later
		st := f.stats()
		if st.Active != 1 || backup.calls.Load() != 1 {
			t.Fatalf("after the primary died: active %d, backup pulls %d; want 1 1", st.Active, backup.calls.Load())
		}
		// The primary restarts after 1 s and must deliver 10 s (the
		// stream's default return_after; the backup's own 4 s is its
		// own) before it returns; then the backup is not needed.
		wait(12 * time.Second)
		st = f.stats()
		if st.Active != 0 || st.Switches != 2 {
			t.Fatalf("12 s later: active %d switches %d (%q), want the primary back", st.Active,
				st.Switches, st.SwitchReason)
		}
		if in := f.status.Load().Inputs[1]; in.PID != nil || in.Health != "idle" || in.State != stream.InputWaiting {
			t.Errorf("backup after the return: pid %v health %q state %q, want stopped and idle", in.PID, in.Health, in.State)
		}
		if runs := out.check(t); len(runs) != 3 {
			t.Errorf("output runs by input %v, want [1 2 1]", runs)
		}
	})
}

// A hot-standby backup stays connected (its frames dropped) and takes
// over within one GOP of the primary's connection dying, without
// reconnecting.
func TestHotStandbyTakesOverWithinAGOP(t *testing.T) {
	kittest.Run(t, func(t *testing.T, sys *actor.ActorSystem) {
		primary := newLive(1, 0, 0)
		backup := &counted{Puller: newLive(2, 10, 500*time.Second)}
		f := pair(t, sys, config.Input{URL: "backup://", Standby: true}, primary, backup)
		out := watch(t, f)

		wait(2 * time.Second)
		if n := backup.calls.Load(); n != 1 {
			t.Fatalf("standby backup pulls %d, want 1 (connected from the start)", n)
		}
		if h := f.status.Load().Inputs[1].Health; h != "live" {
			t.Errorf("standby health %q, want live", h)
		}
		primary.fail <- errors.New("connection reset")
		wait(frameDur * 25) // one GOP
		st := f.stats()
		if st.Active != 1 || backup.calls.Load() != 1 {
			t.Fatalf("one GOP after the primary died: active %d, backup pulls %d; want 1 1", st.Active, backup.calls.Load())
		}
		if runs := out.check(t); len(runs) != 2 || runs[1] != 2 {
			t.Errorf("output runs by input %v, want [1 2]", runs)
		}
	})
}

// An input that keeps failing spends its restart budget and is stopped
// for good: its last_error says so, and the backup feeds the stream.
func TestRestartBudgetStopsInput(t *testing.T) {
	kittest.Run(t, func(t *testing.T, sys *actor.ActorSystem) {
		primary := &scriptPuller{failures: 100, err: errors.New("refused")}
		backup := newLive(2, 0, 0)
		f := fixture{probe: kittest.NewProbe(t, sys), status: new(atomic.Pointer[stream.Status])}
		cfg := config.Stream{Name: "cam1", MediaOptions: config.MediaOptions{
			Inputs: []config.Input{{URL: "primary://"}, {URL: "backup://"}},
		}}
		pullers := input.Pullers{"primary": primary, "backup": backup}
		f.pid = f.probe.SpawnNamed(stream.Props(stream.Config{
			Stream: cfg,
			Input:  func(s stream.InputSpec) *actor.Props { return input.Props(input.Config{Spec: s, Pullers: pullers}) },
			Supervisor: &supervision.RestartWithBackoff{
				Backoff:     supervision.Backoff{Initial: 200 * time.Millisecond, Max: time.Second, Rand: func(time.Duration) time.Duration { return 0 }},
				MaxRestarts: 3, Window: time.Minute,
			},
			Status: f.status,
		}), cfg.Name)
		wait(5 * time.Second)
		st := f.stats()
		if in := st.Inputs[0]; in.State != stream.InputError || in.Restarts != 3 ||
			!strings.Contains(in.LastError, "restart budget exhausted") || !strings.Contains(in.LastError, "refused") {
			t.Errorf("primary stats %+v, want stopped after 3 restarts with the budget in last_error", in)
		}
		if primary.calls.Load() != 4 {
			t.Errorf("primary pulls %d, want 4", primary.calls.Load())
		}
		if st.Active != 1 || st.State != stream.StateRunning {
			t.Errorf("active %d status %q, want the backup running", st.Active, st.State)
		}
	})
}
