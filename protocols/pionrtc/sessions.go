package pionrtc

import (
	"crypto/rand"
	"encoding/hex"
	"sync"
)

// Ender is a WebRTC session a Sessions registry can end: End asks it to
// end with err and returns at once; the session removes itself (Remove)
// once it has.
type Ender interface {
	End(err error)
}

// Sessions is the registry of a WHIP or WHEP server's live sessions, by
// ID: Add refuses once Close has begun, and Close ends every session and
// waits until each has removed itself. Safe for concurrent use; the zero
// value is not ready: use NewSessions.
type Sessions[S Ender] struct {
	mu     sync.Mutex
	m      map[string]S
	closed bool
	wg     sync.WaitGroup // one per session until it has removed itself
}

// NewSessions returns an empty registry.
func NewSessions[S Ender]() *Sessions[S] { return &Sessions[S]{m: map[string]S{}} }

// Add registers s under id unless the registry is closed.
func (r *Sessions[S]) Add(id string, s S) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return false
	}
	r.m[id] = s
	r.wg.Add(1)
	return true
}

// Remove is called once by a session Add registered, when it has ended.
func (r *Sessions[S]) Remove(id string) {
	r.mu.Lock()
	delete(r.m, id)
	r.mu.Unlock()
	r.wg.Done()
}

// Get returns the live session id.
func (r *Sessions[S]) Get(id string) (S, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	s, ok := r.m[id]
	return s, ok
}

// Len returns the number of live sessions.
func (r *Sessions[S]) Len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.m)
}

// Closed reports whether Close has begun.
func (r *Sessions[S]) Closed() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.closed
}

// Close refuses further sessions, ends every live one with err and waits
// until they have all removed themselves. Idempotent.
func (r *Sessions[S]) Close(err error) {
	r.mu.Lock()
	r.closed = true
	live := make([]S, 0, len(r.m))
	for _, s := range r.m {
		live = append(live, s)
	}
	r.mu.Unlock()
	for _, s := range live {
		s.End(err)
	}
	r.wg.Wait()
}

// NewID returns a session ID: 128 random bits in hex, unguessable, so
// knowing the ID is what lets a client end or patch its session (RFC 9725
// leaves the resource URL's form to the server).
func NewID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return hex.EncodeToString(b[:])
}
