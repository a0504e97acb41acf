package supervision

import "time"

// BreakerState is a circuit breaker's state.
type BreakerState uint8

// Breaker states.
const (
	// BreakerClosed: calls go through; consecutive failures are counted.
	BreakerClosed BreakerState = iota
	// BreakerOpen: calls are refused until the cool-down ends.
	BreakerOpen
	// BreakerHalfOpen: the cool-down has ended; a few trial calls go
	// through, and their outcome closes or reopens the breaker.
	BreakerHalfOpen
)

var breakerNames = [...]string{"closed", "open", "half-open"}

func (s BreakerState) String() string {
	if int(s) < len(breakerNames) {
		return breakerNames[s]
	}
	return "unknown"
}

// Defaults for the zero fields of Breaker.
const (
	DefaultBreakerThreshold = 5
	DefaultBreakerCoolDown  = 5 * time.Second
	// DefaultBreakerMaxCoolDown: a push target or auth backend that is
	// down for hours is tried once a minute.
	DefaultBreakerMaxCoolDown = time.Minute
)

// Breaker is a circuit breaker for calls to something outside that can be
// down for a while: a push target, an auth backend. After Threshold
// consecutive failures it opens and refuses calls for a cool-down; then it
// lets Probes trial calls through (half-open): a success closes it, a
// failure opens it again for twice the previous cool-down, up to
// MaxCoolDown.
//
// Like the failover policy it is a pure state machine: the caller passes
// the time, so tests are exact. It belongs to one actor (a push, the
// sessions supervisor): not safe for concurrent use. Every call that Allow
// let through must be reported with Success or Failure, or a half-open
// breaker runs out of probes and stays shut until one is reported.
type Breaker struct {
	// Threshold is how many consecutive failures open the breaker:
	// 0 means DefaultBreakerThreshold.
	Threshold int
	// CoolDown is how long it stays open the first time: 0 means
	// DefaultBreakerCoolDown.
	CoolDown time.Duration
	// MaxCoolDown caps the doubling of CoolDown while trial calls keep
	// failing: 0 means DefaultBreakerMaxCoolDown, or CoolDown if longer.
	MaxCoolDown time.Duration
	// Probes is how many trial calls a half-open breaker lets through at
	// once: 0 means 1.
	Probes int

	state    BreakerState
	failures int       // consecutive failures while closed
	trips    int       // opens since the breaker last closed
	until    time.Time // end of the cool-down while open
	probing  int       // trial calls let through and not yet reported
}

// BreakerStatus is a copy of a breaker's state, for stats and logs.
type BreakerStatus struct {
	State    BreakerState
	Failures int       // consecutive failures while closed
	Trips    int       // times opened since it last closed
	RetryAt  time.Time // when an open breaker lets a trial call through; zero otherwise
}

// Allow reports whether a call may go out at now. An open breaker whose
// cool-down has ended turns half-open and lets the first Probes calls
// through.
func (b *Breaker) Allow(now time.Time) bool {
	switch b.settle(now) {
	case BreakerClosed:
		return true
	case BreakerHalfOpen:
		if b.probing < max(b.Probes, 1) {
			b.probing++
			return true
		}
	case BreakerOpen:
	}
	return false
}

// Success reports that a call let through at now succeeded. A success
// while half-open closes the breaker. A success reported while open (a
// call let through before it opened) changes nothing: the cool-down runs
// its course.
func (b *Breaker) Success(now time.Time) {
	switch b.settle(now) {
	case BreakerClosed:
		b.failures = 0
	case BreakerHalfOpen:
		b.state, b.failures, b.trips, b.probing = BreakerClosed, 0, 0, 0
	case BreakerOpen:
	}
}

// Failure reports that a call let through at now failed. Threshold
// consecutive failures open a closed breaker; a failure while half-open
// reopens it with a doubled cool-down. A failure reported while open
// changes nothing.
func (b *Breaker) Failure(now time.Time) {
	switch b.settle(now) {
	case BreakerClosed:
		b.failures++
		if b.failures >= b.threshold() {
			b.open(now)
		}
	case BreakerHalfOpen:
		b.open(now)
	case BreakerOpen:
	}
}

// Status returns the breaker's state at now.
func (b *Breaker) Status(now time.Time) BreakerStatus {
	st := BreakerStatus{State: b.settle(now), Failures: b.failures, Trips: b.trips}
	if st.State == BreakerOpen {
		st.RetryAt = b.until
	}
	return st
}

// settle moves an open breaker whose cool-down has ended to half-open, and
// returns the state.
func (b *Breaker) settle(now time.Time) BreakerState {
	if b.state == BreakerOpen && !now.Before(b.until) {
		b.state, b.probing = BreakerHalfOpen, 0
	}
	return b.state
}

func (b *Breaker) open(now time.Time) {
	cool := b.CoolDown
	if cool <= 0 {
		cool = DefaultBreakerCoolDown
	}
	limit := b.MaxCoolDown
	if limit <= 0 {
		limit = max(DefaultBreakerMaxCoolDown, cool)
	}
	b.state, b.failures, b.probing = BreakerOpen, 0, 0
	b.until = now.Add(Backoff{Initial: cool, Max: limit}.Nominal(b.trips))
	b.trips++
}

func (b *Breaker) threshold() int {
	if b.Threshold <= 0 {
		return DefaultBreakerThreshold
	}
	return b.Threshold
}
