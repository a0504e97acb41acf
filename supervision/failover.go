package supervision

import (
	"cmp"
	"slices"
	"time"
)

// The failover policy decides which of a stream's inputs feeds its hub. It
// is a pure state machine: the stream actor feeds it events (an input
// connected, delivered frames or a keyframe, reported errors, died; time
// passed) and it answers with a FailoverDecision: the input to feed the hub
// now, the input it will switch to at that input's next keyframe, the
// inputs to keep connected, and when to call it again. It never reads the
// clock, starts goroutines or touches actors, so the same events always give
// the same decisions and tests are exact.
//
// The rules, in the order they are applied:
//
//   - An input fails when it is silent for its source timeout (no
//     connection, or no frames, for that long), at once when its connection
//     dies, and when it reports ErrorThreshold errors within ErrorWindow. A
//     failed input never feeds the hub.
//   - When the active input fails the hub is left without a writer and the
//     first keyframe from a healthy input takes over (the best-ranked one
//     delivering frames is the one announced as Next).
//   - A higher-priority input that has failed before returns only after it
//     has delivered frames steadily (no pause over SteadyGap) for
//     ReturnAfter, doubled for each further failure within FlapWindow up to
//     MaxReturnAfter, and then at its next keyframe. This is the hysteresis
//     that keeps a flapping primary from causing a switch storm. An input
//     that has never failed after delivering frames (a stream starting up,
//     a publisher arriving late) takes over at its first keyframe.
//   - A manually selected input is pinned: it takes over at its next
//     keyframe and stays, whatever the priorities, until it fails or is
//     released. While an input is pinned, no other input takes over, even
//     when the active one fails: the operator asked for that source.
//   - Inputs are connected on demand: the policy keeps connected every
//     input from the top of the priority order down to the first one that
//     delivers frames (failed ones above it are probed in the background by
//     their own restarts), the active, next and pinned inputs, and every
//     standby input. A lower input is started only when the ones above it
//     have failed, and one at a time.

// Never disables a duration setting: a SourceTimeout of Never declares no
// input failed for silence, a ReturnAfter of Never keeps the policy on a
// lower input until that one fails or an operator selects another.
const Never time.Duration = -1

// Defaults for the zero fields of FailoverConfig.
const (
	// DefaultSourceTimeout is far below Flussonic's 60 s: an origin that
	// shows a frozen picture for a minute before failing over has failed
	// its viewers already.
	DefaultSourceTimeout = 3 * time.Second
	// DefaultReturnAfter is how long a recovered primary must deliver
	// steadily before it feeds the stream again.
	DefaultReturnAfter = 10 * time.Second
	// DefaultMaxReturnAfter caps the doubling of ReturnAfter for a primary
	// that keeps failing.
	DefaultMaxReturnAfter = 60 * time.Second
	// DefaultFlapWindow is how long a failure counts against an input
	// when its return delay is computed.
	DefaultFlapWindow = 2 * time.Minute
	// DefaultSteadyGap is the longest pause in frames that still counts as
	// steady delivery: twice the one-second interval at which the stream
	// samples its inputs' frame counters.
	DefaultSteadyGap = 2 * time.Second
	// DefaultErrorThreshold and DefaultErrorWindow: a lossy UDP link drops
	// a unit now and then; three a second for ten seconds means the
	// picture is broken.
	DefaultErrorThreshold = 30
	DefaultErrorWindow    = 10 * time.Second
)

// FailoverInput is one input's failover settings, in the stream's
// configuration order.
type FailoverInput struct {
	// Priority is the input's priority= (1 is the best); nil ranks the
	// input as if its priority were its index. Ties keep list order.
	Priority *int
	// SourceTimeout overrides the stream's: 0 inherits it, Never
	// disables the timeout for this input, a positive value replaces it.
	// (config.Timeout maps as: nil → 0, Disabled → Never, Seconds → that
	// many seconds.)
	SourceTimeout time.Duration
	// Backup marks a backup source (a file or fake:// last resort, a
	// second encoder): FailoverDecision.Backup tells the DVR to skip it.
	Backup bool
	// Standby keeps the input connected while it is not active, so that
	// a switch to it costs no connection time.
	Standby bool
	// ReturnAfter overrides the stream's for this input (how long it must
	// deliver steadily before it returns): 0 inherits, Never keeps it from
	// returning by itself.
	ReturnAfter time.Duration
	// ErrorThreshold overrides the stream's for this input: 0 inherits, a
	// negative value disables error counting for it.
	ErrorThreshold int
}

// FailoverConfig configures a Failover. Zero fields take the defaults
// above.
type FailoverConfig struct {
	Inputs []FailoverInput
	// SourceTimeout is the stream's source_timeout: 0 means
	// DefaultSourceTimeout, Never disables it.
	SourceTimeout time.Duration
	// ReturnAfter is how long a failed higher-priority input must deliver
	// frames steadily before it feeds the stream again: 0 means
	// DefaultReturnAfter, Never means it does not return by itself.
	ReturnAfter time.Duration
	// MaxReturnAfter caps ReturnAfter's doubling for inputs that fail
	// repeatedly within FlapWindow: 0 means DefaultMaxReturnAfter or
	// ReturnAfter, whichever is longer.
	MaxReturnAfter time.Duration
	// FlapWindow is how long a failure after delivering frames counts
	// against an input: 0 means DefaultFlapWindow.
	FlapWindow time.Duration
	// SteadyGap is the longest pause in frames that still counts as
	// steady delivery: 0 means DefaultSteadyGap.
	SteadyGap time.Duration
	// ErrorThreshold errors within ErrorWindow fail an input: 0 means
	// DefaultErrorThreshold, a negative value disables error counting.
	ErrorThreshold int
	// ErrorWindow: 0 means DefaultErrorWindow.
	ErrorWindow time.Duration
}

// withDefaults returns c with its zero fields set.
func (c FailoverConfig) withDefaults() FailoverConfig {
	if c.SourceTimeout == 0 {
		c.SourceTimeout = DefaultSourceTimeout
	}
	if c.ReturnAfter == 0 {
		c.ReturnAfter = DefaultReturnAfter
	}
	if c.MaxReturnAfter <= 0 {
		c.MaxReturnAfter = max(DefaultMaxReturnAfter, c.ReturnAfter)
	}
	if c.FlapWindow <= 0 {
		c.FlapWindow = DefaultFlapWindow
	}
	if c.SteadyGap <= 0 {
		c.SteadyGap = DefaultSteadyGap
	}
	if c.ErrorThreshold == 0 {
		c.ErrorThreshold = DefaultErrorThreshold
	}
	if c.ErrorWindow <= 0 {
		c.ErrorWindow = DefaultErrorWindow
	}
	c.Inputs = slices.Clone(c.Inputs)
	return c
}

// forInput returns c (defaults applied) with input i's overrides of
// ReturnAfter and ErrorThreshold: the settings that input's state is
// judged by.
func (c FailoverConfig) forInput(i int) FailoverConfig {
	in := c.Inputs[i]
	if in.ReturnAfter != 0 {
		c.ReturnAfter = in.ReturnAfter
		c.MaxReturnAfter = max(c.MaxReturnAfter, in.ReturnAfter)
	}
	if in.ErrorThreshold != 0 {
		c.ErrorThreshold = in.ErrorThreshold
	}
	c.Inputs = nil
	return c
}

// timeout returns input i's effective source timeout, 0 when disabled.
func (c FailoverConfig) timeout(i int) time.Duration {
	d := c.Inputs[i].SourceTimeout
	if d == 0 {
		d = c.SourceTimeout
	}
	return max(d, 0) // Never, or any negative value, disables it
}

// returnDelay is how long an input with recent failures after delivering
// frames within FlapWindow must deliver steadily before it returns: 0 for
// an input that has never failed that way, ReturnAfter for one recent
// failure, doubling for each further one up to MaxReturnAfter. ok is false
// when it never returns by itself.
func (c FailoverConfig) returnDelay(everFlapped bool, recent int) (d time.Duration, ok bool) {
	switch {
	case !everFlapped:
		return 0, true
	case c.ReturnAfter < 0:
		return 0, false
	}
	b := Backoff{Initial: c.ReturnAfter, Max: c.MaxReturnAfter}
	return b.Nominal(recent - 1), true
}

// Order returns the indexes of inputs, best first: by Priority when set,
// else by position (an input without a priority ranks as if its priority
// were its index), ties keeping list order. It is the rule
// actors/stream's priorityOrder applies to config.Input.
func Order(inputs []FailoverInput) []int {
	order := make([]int, len(inputs))
	for i := range order {
		order[i] = i
	}
	key := func(i int) int {
		if p := inputs[i].Priority; p != nil {
			return *p
		}
		return i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(key(a), key(b)) })
	return order
}
