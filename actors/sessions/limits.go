package sessions

import (
	"log/slog"
	"slices"
	"sync"
	"time"
)

// Session limits, as Flussonic documents them:
//   - per server (max_sessions at the top of the config) and per stream
//     (on_play's max_sessions): a new session over the limit is refused;
//   - per user (X-UserId with X-Max-Sessions, or X-Unique as 1): when a
//     user has more sessions than allowed, the oldest are banned: the
//     sessions "for old streams" are the excessive ones at a channel
//     switch (limit-sessions-per-user, soft limitation). With
//     soft_limitation the ban waits a grace period, in which a session the
//     player left behind can close by itself.

// denyReason is why a new session was refused, for metrics.
type denyReason uint8

const (
	denyNone denyReason = iota
	denyBackend
	denyRedirect
	denyStreamLimit
	denyServerLimit
	denyNoToken
	denyReasons
)

var denyNames = [denyReasons]string{"", "backend", "redirect", "stream_limit", "server_limit", "no_token"}

// counts are the open sessions of the server and of each stream. The
// check and the increment are one step under the lock, so concurrent new
// sessions never overshoot a limit.
type counts struct {
	mu      sync.Mutex
	total   int
	streams map[string]int // only streams with sessions
}

// reserve counts a new session of stream unless a limit (0: none) is
// reached; it returns the stream's and the server's counts before it.
func (c *counts) reserve(stream string, streamMax, serverMax int) (streamN, totalN int, why denyReason) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.streams == nil {
		c.streams = make(map[string]int)
	}
	streamN, totalN = c.streams[stream], c.total
	switch {
	case serverMax > 0 && totalN >= serverMax:
		return streamN, totalN, denyServerLimit
	case streamMax > 0 && streamN >= streamMax:
		return streamN, totalN, denyStreamLimit
	}
	c.streams[stream]++
	c.total++
	return streamN, totalN, denyNone
}

// release uncounts a session of stream.
func (c *counts) release(stream string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.total--
	if n := c.streams[stream] - 1; n > 0 {
		c.streams[stream] = n
	} else {
		delete(c.streams, stream)
	}
}

func (c *counts) of(stream string) (streamN, totalN int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.streams[stream], c.total
}

// users indexes the sessions that carry a user id, oldest first.
type users struct {
	mu sync.Mutex
	m  map[string][]*session
}

// add indexes s under its user and enforces the user's limit: at once,
// or after the soft grace period.
func (u *users) add(t *Table, s *session) {
	lim := s.user.Load()
	if lim == nil {
		return
	}
	u.mu.Lock()
	u.m[lim.id] = append(u.m[lim.id], s)
	list := u.m[lim.id]
	u.mu.Unlock()
	switch {
	case lim.maxSessions <= 0 || len(list) <= lim.maxSessions:
	case lim.soft:
		grace := t.o.SoftGraceHTTP
		if list[0].conn {
			grace = t.o.SoftGraceConn
		}
		time.AfterFunc(grace, func() { t.enforceUser(lim.id) })
	default:
		t.enforceUser(lim.id)
	}
}

// remove drops s from its user's list.
func (u *users) remove(s *session) {
	lim := s.user.Load()
	if lim == nil {
		return
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	list := slices.DeleteFunc(u.m[lim.id], func(x *session) bool { return x == s })
	if len(list) == 0 {
		delete(u.m, lim.id)
		return
	}
	u.m[lim.id] = list
}

// excess returns the oldest sessions of user beyond the limit its newest
// session's decision gave.
func (u *users) excess(user string) []*session {
	u.mu.Lock()
	defer u.mu.Unlock()
	list := u.m[user]
	if len(list) == 0 {
		return nil
	}
	newest := list[len(list)-1].user.Load()
	if newest == nil { // its user changed at a re-ask, just now
		return nil
	}
	limit := newest.maxSessions
	if limit <= 0 || len(list) <= limit {
		return nil
	}
	return slices.Clone(list[:len(list)-limit])
}

// enforceUser bans user's sessions beyond its limit, oldest first.
func (t *Table) enforceUser(user string) {
	for _, s := range t.users.excess(user) {
		t.ban(s, endBanned)
	}
}

// ban ends s and refuses its key for the session's auth duration (the
// decision's X-AuthDuration, or Options.Duration). The log line names
// the session and the user, never the token.
func (t *Table) ban(s *session, why endReason) bool {
	if !t.end(s, why) {
		return false
	}
	reason := "exceeded session limit"
	if why == endKicked {
		reason = "kicked"
	}
	t.log.Info("session banned", slog.String("stream", s.stream), slog.String("session_id", s.id),
		slog.String("user_id", s.userID()), slog.String("reason", reason))
	return true
}
