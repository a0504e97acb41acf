package supervision

import (
	"math/rand/v2"
	"time"
)

// Backoff computes restart delays: doubling from Initial up to Max, with
// "equal jitter" (half the delay fixed, half random) so that inputs which lost
// the same upstream do not reconnect in lockstep, while no delay drops below
// half of its nominal value. A Backoff is a value; it is safe for concurrent
// use when Rand is.
type Backoff struct {
	Initial time.Duration // delay before the first restart; must be > 0
	Max     time.Duration // cap on the nominal delay; 0 means Initial

	// Rand returns a value in [0, n) for n > 0. Nil means math/rand/v2.N;
	// tests fix it.
	Rand func(n time.Duration) time.Duration
}

// Nominal returns the delay before restart number attempt (counted from 0)
// before jitter: Initial * 2^attempt, capped at Max.
func (b Backoff) Nominal(attempt int) time.Duration {
	limit := max(b.Max, b.Initial)
	d := b.Initial
	for i := 0; i < attempt && d < limit; i++ {
		d *= 2 // at most ~63 doublings before d passes any limit: no overflow
	}
	return min(d, limit)
}

// Delay returns the jittered delay before restart number attempt, counted
// from 0: a value in [Nominal/2, Nominal).
func (b Backoff) Delay(attempt int) time.Duration {
	d := b.Nominal(attempt)
	half := d / 2
	if half <= 0 {
		return d
	}
	rnd := b.Rand
	if rnd == nil {
		rnd = rand.N[time.Duration]
	}
	return d - half + rnd(half)
}
