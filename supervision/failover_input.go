package supervision

import (
	"fmt"
	"time"
)

// link is what the events say about an input's connection.
type link uint8

const (
	linkDown      link = iota // not connected (never, or its run died)
	linkConnected             // connected, no frames yet in this run
	linkLive                  // delivering frames
)

// failKind is why an input is failed; failNone when it is not.
type failKind uint8

const (
	failNone    failKind = iota
	failTimeout          // silent for its source timeout
	failDead             // its connection or actor died
	failErrors           // too many errors within the window
)

// errMark is Count errors reported at one time.
type errMark struct {
	at    time.Time
	count int
}

// inputState is the policy's view of one input. It belongs to its
// Failover.
type inputState struct {
	link   link
	failed failKind
	reason string // why it failed: the current failure, or the last one
	// failedAt is when the current failure was declared.
	failedAt time.Time
	failures int // failures so far, of any kind

	wanted      bool      // in the connect set
	askedAt     time.Time // when it last became wanted while down
	connectedAt time.Time // start of the current run
	lastFrame   time.Time
	// steadySince is the first frame of the current stretch of delivery
	// without a pause over SteadyGap; zero when there is none.
	steadySince time.Time
	// delivered: frames since the last connect or failure, so that a
	// failure now is a flap.
	delivered bool

	flaps     []time.Time // failures after delivering frames, within FlapWindow
	everFlaps bool
	errs      []errMark // within ErrorWindow
}

func (s *inputState) ok() bool { return s.failed == failNone }

// connected starts a new run: it clears any failure.
func (s *inputState) connected(now time.Time) {
	s.link, s.failed = linkConnected, failNone
	s.connectedAt = now
	s.steadySince, s.delivered = time.Time{}, false
	s.errs = s.errs[:0]
}

// frames notes delivery at now. It clears a timeout failure; after a death
// only a new connection revives the input (frames from the dead run may
// still be on their way).
func (s *inputState) frames(now time.Time, gap time.Duration) {
	switch s.failed {
	case failDead:
		return
	case failTimeout:
		s.failed = failNone
	case failNone, failErrors:
		// an input failed for errors recovers with time, not frames
	}
	if s.link == linkDown {
		s.connectedAt = now // an input may skip EventConnected
	}
	if s.steadySince.IsZero() || now.Sub(s.lastFrame) > gap {
		s.steadySince = now
	}
	s.link, s.lastFrame, s.delivered = linkLive, now, true
}

// addErrors counts n errors at now and fails the input when the window
// holds threshold of them.
func (s *inputState) addErrors(now time.Time, n int, c *FailoverConfig) {
	if n <= 0 || c.ErrorThreshold < 0 || s.failed == failDead {
		return
	}
	// Only the sum against the threshold matters: capping each report
	// keeps the sums from overflowing whatever counter deltas come in.
	s.errs = append(s.errs, errMark{at: now, count: min(n, c.ErrorThreshold)})
	if sum := s.errorCount(now, c.ErrorWindow); s.failed == failNone && sum >= c.ErrorThreshold {
		s.fail(now, failErrors, fmt.Sprintf("%d errors within %v", c.ErrorThreshold, c.ErrorWindow), c)
	}
}

// errorCount drops the marks that have left the window and sums the rest.
func (s *inputState) errorCount(now time.Time, window time.Duration) int {
	keep := s.errs[:0]
	sum := 0
	for _, m := range s.errs {
		if now.Sub(m.at) < window {
			keep = append(keep, m)
			sum += m.count
		}
	}
	s.errs = keep
	return sum
}

// dead fails the input at once, unless the policy had let it go: an input
// the actor stops on request is merely down.
func (s *inputState) dead(now time.Time, why string, c *FailoverConfig) {
	if !s.wanted {
		s.link = linkDown
		return
	}
	if why == "" {
		why = "connection lost"
	}
	if s.failed != failDead {
		s.fail(now, failDead, why, c)
	}
	s.link = linkDown
}

// fail declares the input failed. A failure after delivering frames is a
// flap: it lengthens the input's return delay.
func (s *inputState) fail(now time.Time, kind failKind, why string, c *FailoverConfig) {
	s.failed, s.reason, s.failedAt = kind, why, now
	s.failures++
	if s.delivered {
		s.flaps = append(s.flaps, now)
		s.everFlaps = true
	}
	s.steadySince, s.delivered = time.Time{}, false
	s.recentFlaps(now, c.FlapWindow)
}

// recentFlaps drops the flaps that have left the window and counts the rest.
func (s *inputState) recentFlaps(now time.Time, window time.Duration) int {
	keep := s.flaps[:0]
	for _, t := range s.flaps {
		if now.Sub(t) < window {
			keep = append(keep, t)
		}
	}
	s.flaps = keep
	return len(keep)
}

// silenceDeadline is when the input fails for silence (or, when unwanted,
// quietly goes down); zero for none. The clock runs from the last frame,
// else from the connection, else from when the policy asked for it.
func (s *inputState) silenceDeadline(timeout time.Duration) time.Time {
	if timeout <= 0 || !s.ok() {
		return time.Time{}
	}
	switch {
	case s.link == linkLive:
		return s.lastFrame.Add(timeout)
	case s.link == linkConnected:
		return s.connectedAt.Add(timeout)
	case s.wanted:
		return s.askedAt.Add(timeout)
	}
	return time.Time{}
}

// check applies the passage of time: the source timeout, and recovery
// from an error failure once a whole window after it stays under the
// threshold.
func (s *inputState) check(now time.Time, timeout time.Duration, c *FailoverConfig) {
	if d := s.silenceDeadline(timeout); !d.IsZero() && !now.Before(d) {
		switch {
		case !s.wanted:
			s.link = linkDown // nobody needs it; not a failure
		case s.link == linkLive:
			s.fail(now, failTimeout, fmt.Sprintf("no frames for %v", timeout), c)
		case s.link == linkConnected:
			s.fail(now, failTimeout, fmt.Sprintf("no frames within %v of connecting", timeout), c)
		default:
			s.fail(now, failTimeout, fmt.Sprintf("not connected within %v", timeout), c)
		}
	}
	if r := s.recoverAt(c); s.failed == failErrors && !now.Before(r) {
		s.failed, s.steadySince = failNone, time.Time{}
	}
}

// recoverAt is when an input failed for errors recovers if no more come:
// a window after the failure, and once the window holds fewer errors than
// the threshold.
func (s *inputState) recoverAt(c *FailoverConfig) time.Time {
	if s.failed != failErrors {
		return time.Time{}
	}
	at := s.failedAt.Add(c.ErrorWindow)
	sum := 0
	for _, m := range s.errs {
		sum += m.count
	}
	for _, m := range s.errs { // oldest first: when do enough leave?
		if sum < c.ErrorThreshold {
			break
		}
		sum -= m.count
		at = later(at, m.at.Add(c.ErrorWindow))
	}
	return at
}

// steadyAt is when the input will have delivered steadily long enough to
// return, assuming delivery goes on; ok is false when it cannot return
// (not delivering, failed, or never by configuration).
func (s *inputState) steadyAt(now time.Time, c *FailoverConfig) (time.Time, bool) {
	if !s.ok() || s.link != linkLive || s.steadySince.IsZero() || now.Sub(s.lastFrame) > c.SteadyGap {
		return time.Time{}, false
	}
	d, ok := c.returnDelay(s.everFlaps, s.recentFlaps(now, c.FlapWindow))
	if !ok {
		return time.Time{}, false
	}
	return s.steadySince.Add(d), true
}

// leave forgets the run of an input the policy no longer needs: the actor
// stops it, and a failure it had says nothing about its next run.
func (s *inputState) leave() {
	s.wanted, s.link, s.failed = false, linkDown, failNone
	s.steadySince, s.delivered = time.Time{}, false
	s.errs = s.errs[:0]
}

// later returns the later of a and b.
func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
