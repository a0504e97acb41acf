package push

import (
	"sync/atomic"
	"time"

	"streamhive/media/stats"
)

// Target states, as the Control API's pusher_status names them.
const (
	StateStarting = "starting" // the first session is connecting
	StateRunning  = "running"  // the current session has sent media
	StateRetry    = "retry"    // sessions have failed; the next is starting or waiting for its delay
	StateError    = "error"    // retry_limit reached or a permanent error: no more sessions
)

// Stats are one target's live counters. The target actor and its session
// write them; anybody may read them at any time (Snapshot).
type Stats struct {
	ID     string
	URL    string
	Opened atomic.Int64  // unix ms when the target started
	Bytes  atomic.Uint64 // bytes sent by all its sessions
	// Errors counts failed sessions; Reconnects the sessions started
	// after a failure; Retries the failures since a session last sent
	// media.
	Errors, Reconnects, Retries atomic.Uint64

	final     atomic.Bool   // no more sessions
	runBase   atomic.Uint64 // Bytes when the current session started
	lastError atomic.Pointer[string]
}

// NewStats returns the counters of a target that starts now.
func NewStats(id, url string) *Stats {
	s := &Stats{ID: id, URL: url}
	s.Opened.Store(time.Now().UnixMilli())
	return s
}

// sessionStarting marks a new session: it runs once it has sent bytes.
func (s *Stats) sessionStarting() { s.runBase.Store(s.Bytes.Load()) }

// sessionFailed records a failed session; final says no other follows.
// It returns the failures in a row so far, this one included.
func (s *Stats) sessionFailed(err error, final bool) int {
	if s.Bytes.Load() > s.runBase.Load() {
		s.Retries.Store(0) // it had worked: the count of failures in a row starts over
	}
	s.Errors.Add(1)
	msg := err.Error()
	s.lastError.Store(&msg)
	s.final.Store(final)
	return int(s.Retries.Add(1))
}

// State returns the target's state now.
func (s *Stats) State() string {
	switch {
	case s.final.Load():
		return StateError
	case s.Bytes.Load() > s.runBase.Load():
		return StateRunning
	case s.Errors.Load() > 0:
		return StateRetry
	default:
		return StateStarting
	}
}

// LastError returns the error of the last failed session, or "".
func (s *Stats) LastError() string {
	if p := s.lastError.Load(); p != nil {
		return *p
	}
	return ""
}

// Snapshot returns the target's counters as they are now. Nil for a nil
// Stats (a disabled push).
func (s *Stats) Snapshot() *stats.Push {
	if s == nil {
		return nil
	}
	var opened time.Time
	if ms := s.Opened.Load(); ms != 0 {
		opened = time.UnixMilli(ms)
	}
	return &stats.Push{
		ID:         s.ID,
		Opened:     opened,
		State:      s.State(),
		Bytes:      int64(s.Bytes.Load()),
		Errors:     int64(s.Errors.Load()),
		Reconnects: int64(s.Reconnects.Load()),
		Retries:    int64(s.Retries.Load()),
		LastError:  s.LastError(),
	}
}
