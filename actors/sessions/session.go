package sessions

import (
	"crypto/rand"
	"fmt"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"github.com/asynkron/protoactor-go/actor"
)

// session is one viewer session. What the viewer and the first decision
// told is fixed at open; counters and the few fields a re-ask may change
// are atomics, so the gateway's hot path and the API read them without
// locks. The session's actor and the Table share it; nothing else does.
type session struct {
	t        *Table
	id       string
	key      key
	stream   string
	proto    string
	ip       netip.Addr
	token    string
	query    string
	child    string // Admission.ChildQuery
	ua       string
	referer  string
	dvr      bool
	country  string
	conn     bool // a connection protocol: ends by Close, not by inactivity
	openedAt time.Time

	bytes    atomic.Int64
	last     atomic.Int64 // unix nanoseconds of the last request or Sent
	asks     atomic.Int64 // request_number of the next re-ask
	user     atomic.Pointer[userLimit]
	duration atomic.Int64 // the last decision's Duration, nanoseconds
	pid      atomic.Pointer[actor.PID]
	spawned  atomic.Bool // its actor was asked for (supervisor.spawn)

	endOnce sync.Once
	ended   chan struct{}
	closed  atomic.Bool
}

// userLimit is what the backend said of the session's user.
type userLimit struct {
	id          string
	maxSessions int
	soft        bool
}

var _ Ticket = (*session)(nil)

// ID implements Ticket: the session's UUID.
func (s *session) ID() string { return s.id }

// Sent implements Ticket.
func (s *session) Sent(n int) {
	s.bytes.Add(int64(n))
	s.last.Store(time.Now().UnixNano())
}

// Ended implements Ticket.
func (s *session) Ended() <-chan struct{} { return s.ended }

// Close implements Ticket: the viewer left.
func (s *session) Close() { s.t.end(s, endClosed) }

// isEnded reports whether the session is over.
func (s *session) isEnded() bool { return s.closed.Load() }

// touch marks the session active at now.
func (s *session) touch(now time.Time) { s.last.Store(now.UnixNano()) }

// lastActive returns when the session was last active.
func (s *session) lastActive() time.Time { return time.Unix(0, s.last.Load()) }

// authDuration returns how long the last decision holds.
func (s *session) authDuration() time.Duration { return time.Duration(s.duration.Load()) }

// finish marks the session over and closes Ended, once. It reports
// whether this call did it.
func (s *session) finish() bool {
	did := false
	s.endOnce.Do(func() {
		s.closed.Store(true)
		close(s.ended)
		did = true
	})
	return did
}

// userID returns the backend's user id of the session, or "".
func (s *session) userID() string {
	if u := s.user.Load(); u != nil {
		return u.id
	}
	return ""
}

// newToken makes a token for a viewer who brought none: 128 random bits
// in hex, unguessable, so another viewer cannot join the session.
func newToken() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("%x", b)
}
