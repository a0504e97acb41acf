package supervision

import (
	"testing"
	"time"
)

func TestBackoffNominal(t *testing.T) {
	tests := []struct {
		name    string
		b       Backoff
		attempt int
		want    time.Duration
	}{
		{"first", Backoff{Initial: time.Second, Max: time.Minute}, 0, time.Second},
		{"second doubles", Backoff{Initial: time.Second, Max: time.Minute}, 1, 2 * time.Second},
		{"fifth", Backoff{Initial: time.Second, Max: time.Minute}, 5, 32 * time.Second},
		{"capped", Backoff{Initial: time.Second, Max: time.Minute}, 6, time.Minute},
		{"far past the cap", Backoff{Initial: time.Second, Max: time.Minute}, 1000, time.Minute},
		{"max below initial", Backoff{Initial: time.Second, Max: time.Millisecond}, 3, time.Second},
		{"no max", Backoff{Initial: time.Second}, 4, time.Second},
		{"negative attempt", Backoff{Initial: time.Second, Max: time.Minute}, -1, time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.b.Nominal(tt.attempt); got != tt.want {
				t.Errorf("Nominal(%d) = %v, want %v", tt.attempt, got, tt.want)
			}
		})
	}
}

func TestBackoffDelayJitter(t *testing.T) {
	zero := func(time.Duration) time.Duration { return 0 }
	top := func(n time.Duration) time.Duration { return n - 1 }
	tests := []struct {
		name    string
		rand    func(time.Duration) time.Duration
		initial time.Duration
		attempt int
		want    time.Duration
	}{
		{"lowest is half", zero, time.Second, 0, 500 * time.Millisecond},
		{"highest is just under nominal", top, time.Second, 0, time.Second - 1},
		{"lowest doubles", zero, time.Second, 2, 2 * time.Second},
		{"odd nanoseconds round up the fixed half", zero, 3, 0, 2},
		{"one nanosecond has no jitter", top, 1, 0, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := Backoff{Initial: tt.initial, Max: time.Hour, Rand: tt.rand}
			if got := b.Delay(tt.attempt); got != tt.want {
				t.Errorf("Delay(%d) = %v, want %v", tt.attempt, got, tt.want)
			}
		})
	}
}

func TestBackoffDelayDefaultRandStaysInRange(t *testing.T) {
	b := Backoff{Initial: 100 * time.Millisecond, Max: 10 * time.Second}
	for attempt := range 10 {
		nominal := b.Nominal(attempt)
		for range 100 {
			if d := b.Delay(attempt); d < nominal/2 || d >= nominal {
				t.Fatalf("Delay(%d) = %v, want in [%v, %v)", attempt, d, nominal/2, nominal)
			}
		}
	}
}
