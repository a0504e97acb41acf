package supervision

import (
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/asynkron/protoactor-go/actor"
)

func TestRestartWithBackoffDecide(t *testing.T) {
	s := &RestartWithBackoff{
		Backoff:     Backoff{Initial: time.Second, Max: 8 * time.Second, Rand: func(time.Duration) time.Duration { return 0 }},
		MaxRestarts: 3,
		Window:      time.Minute,
	}
	unlimited := *s
	unlimited.MaxRestarts = 0

	errRefused := errors.New("refused")
	tests := []struct {
		name      string
		s         *RestartWithBackoff
		recent    int
		reason    any
		restart   bool
		wantDelay time.Duration
	}{
		{"first failure", s, 0, errRefused, true, 500 * time.Millisecond},
		{"third failure backs off", s, 2, errRefused, true, 2 * time.Second},
		{"budget spent", s, 3, errRefused, false, 0},
		{"permanent on first failure", s, 0, &Permanent{Err: errRefused}, false, 0},
		{"no budget keeps restarting", &unlimited, 100, errRefused, true, 4 * time.Second},
		{"panic value restarts", s, 0, "boom", true, 500 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := tt.s.Decide(tt.recent, tt.reason)
			if d.Restart() != tt.restart || d.Delay != tt.wantDelay {
				t.Errorf("Decide(%d, %v) = restart %v in %v (%q), want restart %v in %v",
					tt.recent, tt.reason, d.Restart(), d.Delay, d.Why, tt.restart, tt.wantDelay)
			}
			if !d.Restart() && d.Why == "" {
				t.Errorf("a stop decision says nothing about why")
			}
		})
	}
}

// fakeSupervisor records what a strategy asked of it, with the time.
type fakeSupervisor struct {
	mu  sync.Mutex
	log []string
}

func (f *fakeSupervisor) note(what string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.log = append(f.log, what+"@"+time.Since(epoch).String())
}

func (f *fakeSupervisor) got() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.log)
}

var epoch time.Time

func (*fakeSupervisor) Children() []*actor.PID          { return nil }
func (*fakeSupervisor) EscalateFailure(any, any)        {}
func (f *fakeSupervisor) RestartChildren(...*actor.PID) { f.note("restart") }
func (f *fakeSupervisor) StopChildren(...*actor.PID)    { f.note("stop") }
func (*fakeSupervisor) ResumeChildren(...*actor.PID)    {}

// TestRestartWithBackoffHandle drives the strategy as protoactor would, with
// one child failing repeatedly, and checks when it is restarted and that the
// budget stops it.
func TestRestartWithBackoffHandle(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		epoch = time.Now()
		sys := actor.NewActorSystem()
		s := &RestartWithBackoff{
			Backoff:     Backoff{Initial: time.Second, Max: time.Minute, Rand: func(n time.Duration) time.Duration { return n - 1 }},
			MaxRestarts: 3,
			Window:      time.Hour,
		}
		sup := &fakeSupervisor{}
		child := actor.NewPID("local", "input")
		rs := actor.NewRestartStatistics()

		for range 4 { // the 4th failure exceeds the budget
			s.HandleFailure(sys, sup, child, rs, errors.New("refused"), nil)
			time.Sleep(10 * time.Second) // longer than any delay here
			synctest.Wait()
		}
		want := []string{
			"restart@1s",  // 1s nominal, top of the jitter range
			"restart@12s", // +2s
			"restart@24s", // +4s
			"stop@30s",    // budget spent: at once
		}
		// Jitter tops out one nanosecond under nominal: round to seconds.
		var got []string
		for _, g := range sup.got() {
			what, at, _ := strings.Cut(g, "@")
			d, _ := time.ParseDuration(at)
			got = append(got, what+"@"+d.Round(time.Second).String())
		}
		if !slices.Equal(got, want) {
			t.Errorf("supervisor calls = %v, want %v", got, want)
		}
	})
}
