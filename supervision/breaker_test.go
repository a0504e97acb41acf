package supervision

import (
	"testing"
	"time"
)

// bop is one operation on a breaker in a test script, and what must hold
// after it.
type bop struct {
	at    time.Duration
	op    string // "allow", "ok", "fail"
	allow bool   // for "allow": the expected answer
	state BreakerState
}

func TestBreaker(t *testing.T) {
	small := Breaker{Threshold: 3, CoolDown: 1 * s, MaxCoolDown: 4 * s}
	twoProbes := small
	twoProbes.Probes = 2
	tests := []struct {
		name string
		b    Breaker
		ops  []bop
	}{
		{"closed counts consecutive failures only", small, []bop{
			{0, "fail", false, BreakerClosed},
			{0, "fail", false, BreakerClosed},
			{0, "ok", false, BreakerClosed},
			{0, "fail", false, BreakerClosed},
			{0, "fail", false, BreakerClosed},
			{0, "allow", true, BreakerClosed},
		}},
		{"threshold opens; a probe after the cool-down closes", small, []bop{
			{0, "fail", false, BreakerClosed},
			{0, "fail", false, BreakerClosed},
			{0, "fail", false, BreakerOpen},
			{500 * ms, "allow", false, BreakerOpen},
			{1*s - 1, "allow", false, BreakerOpen},
			{1 * s, "allow", true, BreakerHalfOpen},
			{1 * s, "allow", false, BreakerHalfOpen}, // one probe at a time
			{1200 * ms, "ok", false, BreakerClosed},
			{1200 * ms, "allow", true, BreakerClosed},
		}},
		{"failed probes double the cool-down up to the cap", small, []bop{
			{0, "fail", false, BreakerClosed},
			{0, "fail", false, BreakerClosed},
			{0, "fail", false, BreakerOpen}, // until 1 s
			{1 * s, "allow", true, BreakerHalfOpen},
			{1100 * ms, "fail", false, BreakerOpen}, // until 3.1 s
			{3 * s, "allow", false, BreakerOpen},
			{3100 * ms, "allow", true, BreakerHalfOpen},
			{3100 * ms, "fail", false, BreakerOpen}, // until 7.1 s
			{7 * s, "allow", false, BreakerOpen},
			{7100 * ms, "allow", true, BreakerHalfOpen},
			{7100 * ms, "fail", false, BreakerOpen}, // capped: until 11.1 s
			{11 * s, "allow", false, BreakerOpen},
			{11100 * ms, "allow", true, BreakerHalfOpen},
			{11100 * ms, "ok", false, BreakerClosed},
			// Closed again: the next trip starts from CoolDown.
			{12 * s, "fail", false, BreakerClosed},
			{12 * s, "fail", false, BreakerClosed},
			{12 * s, "fail", false, BreakerOpen}, // until 13 s
			{13 * s, "allow", true, BreakerHalfOpen},
		}},
		{"results of calls let through before it opened are ignored", small, []bop{
			{0, "fail", false, BreakerClosed},
			{0, "fail", false, BreakerClosed},
			{0, "fail", false, BreakerOpen},
			{500 * ms, "ok", false, BreakerOpen},
			{600 * ms, "fail", false, BreakerOpen},
			{1 * s, "allow", true, BreakerHalfOpen}, // the cool-down did not move
		}},
		{"half-open lets Probes calls through", twoProbes, []bop{
			{0, "fail", false, BreakerClosed},
			{0, "fail", false, BreakerClosed},
			{0, "fail", false, BreakerOpen},
			{1 * s, "allow", true, BreakerHalfOpen},
			{1 * s, "allow", true, BreakerHalfOpen},
			{1 * s, "allow", false, BreakerHalfOpen},
			{1100 * ms, "ok", false, BreakerClosed},
		}},
		{"defaults: five failures, five seconds", Breaker{}, []bop{
			{0, "fail", false, BreakerClosed},
			{0, "fail", false, BreakerClosed},
			{0, "fail", false, BreakerClosed},
			{0, "fail", false, BreakerClosed},
			{0, "fail", false, BreakerOpen},
			{5*s - 1, "allow", false, BreakerOpen},
			{5 * s, "allow", true, BreakerHalfOpen},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := tt.b
			for i, o := range tt.ops {
				now := at(o.at)
				switch o.op {
				case "allow":
					if got := b.Allow(now); got != o.allow {
						t.Fatalf("op %d: Allow at %v = %v, want %v", i, o.at, got, o.allow)
					}
				case "ok":
					b.Success(now)
				case "fail":
					b.Failure(now)
				}
				if got := b.Status(now).State; got != o.state {
					t.Fatalf("op %d (%s at %v): state %v, want %v", i, o.op, o.at, got, o.state)
				}
			}
		})
	}
}

func TestBreakerStatus(t *testing.T) {
	b := Breaker{Threshold: 2, CoolDown: 1 * s}
	b.Failure(at(0))
	if st := b.Status(at(0)); st != (BreakerStatus{State: BreakerClosed, Failures: 1}) {
		t.Errorf("after one failure: %+v", st)
	}
	b.Failure(at(0))
	want := BreakerStatus{State: BreakerOpen, Trips: 1, RetryAt: at(1 * s)}
	if st := b.Status(at(0)); st != want {
		t.Errorf("open: %+v, want %+v", st, want)
	}
	if st := b.Status(at(1 * s)); st.State != BreakerHalfOpen || !st.RetryAt.IsZero() {
		t.Errorf("after the cool-down: %+v, want half-open", st)
	}
	if got := BreakerHalfOpen.String(); got != "half-open" {
		t.Errorf("String() = %q", got)
	}
}
