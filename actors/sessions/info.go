package sessions

import (
	"net/netip"
	"slices"
	"strings"
	"time"
)

// Info is a session as the Control API shows it: a copy, taken when asked.
type Info struct {
	ID        string
	Stream    string
	Proto     string
	IP        netip.Addr
	Token     string
	Query     string
	UserAgent string
	Referer   string
	DVR       bool
	Country   string // ISO 3166 code; "" when unknown
	UserID    string
	// MaxSessions and SoftLimitation are the user limit the backend gave.
	MaxSessions    int
	SoftLimitation bool
	OpenedAt       time.Time
	LastActive     time.Time
	Bytes          int64
}

func (s *session) info() Info {
	i := Info{
		ID: s.id, Stream: s.stream, Proto: s.proto, IP: s.ip, Token: s.token, Query: s.query,
		UserAgent: s.ua, Referer: s.referer, DVR: s.dvr, Country: s.country,
		OpenedAt: s.openedAt, LastActive: s.lastActive(), Bytes: s.bytes.Load(),
	}
	if u := s.user.Load(); u != nil {
		i.UserID, i.MaxSessions, i.SoftLimitation = u.id, u.maxSessions, u.soft
	}
	return i
}

// List returns every open session, oldest first (then by id).
func (t *Table) List() []Info {
	var out []Info
	t.byID.Range(func(_, v any) bool {
		out = append(out, v.(*session).info())
		return true
	})
	slices.SortFunc(out, func(a, b Info) int {
		if c := a.OpenedAt.Compare(b.OpenedAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out
}

// Get returns the open session id.
func (t *Table) Get(id string) (Info, bool) {
	s, ok := t.find(id)
	if !ok {
		return Info{}, false
	}
	return s.info(), true
}

// Kick ends session id and refuses its key for the session's auth
// duration (Options.Duration without one): a connection closes (Ended),
// an HTTP player gets 403 on its next request. False when no such session
// is open.
func (t *Table) Kick(id string) bool {
	s, ok := t.find(id)
	if !ok {
		return false
	}
	return t.ban(s, endKicked)
}

// Reauth makes every open session of stream ask its backend again now
// (POST /sessions/reauth); it returns how many were asked to. Sessions
// without an actor (the supervisor is not running) are not re-asked.
func (t *Table) Reauth(stream string) int {
	ref := t.actors.Load()
	n := 0
	t.byID.Range(func(_, v any) bool {
		s := v.(*session)
		if s.stream != stream {
			return true
		}
		n++
		if pid := s.pid.Load(); ref != nil && pid != nil {
			ref.root.Send(pid, &reauthNow{})
		}
		return true
	})
	return n
}

// Clients returns how many sessions stream has open (online_clients).
func (t *Table) Clients(stream string) int {
	n, _ := t.counts.of(stream)
	return n
}

// Total returns how many sessions are open on the server (total_clients).
func (t *Table) Total() int {
	_, n := t.counts.of("")
	return n
}

func (t *Table) find(id string) (*session, bool) {
	v, ok := t.byID.Load(id)
	if !ok {
		return nil, false
	}
	return v.(*session), true
}
