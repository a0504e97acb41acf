package play

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"

	"streamhive/actors/auth"
	"streamhive/actors/sessions"
)

// fakeGate is a sessions.Gate that decides by token, as a backend might:
//
//	deny*      403
//	redirect*  302 to http://elsewhere.example/TOKEN
//	broken     Allow without a ticket (a gate bug: must fail closed)
//	""         allowed; the gate makes up the token "made"
//	anything else  allowed
//
// An allowed viewer's ChildQuery is its own query (and token=made when it
// had no token). One ticket per token: a token is a session. It records
// every Viewer it was asked about.
type fakeGate struct {
	mu      sync.Mutex
	viewers []sessions.Viewer
	tickets map[string]*fakeTicket
}

func (g *fakeGate) Admit(_ context.Context, v sessions.Viewer) sessions.Admission {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.viewers = append(g.viewers, v)
	switch {
	case strings.HasPrefix(v.Token, "deny"):
		return sessions.Admission{Verdict: auth.Deny}
	case strings.HasPrefix(v.Token, "redirect"):
		return sessions.Admission{Verdict: auth.Redirect, Location: "http://elsewhere.example/" + v.Token}
	case v.Token == "broken":
		return sessions.Admission{Verdict: auth.Allow}
	}
	q := v.Query
	if v.Token == "" {
		q = strings.TrimPrefix(q+"&token=made", "&")
	}
	return sessions.Admission{Verdict: auth.Allow, Ticket: g.ticket(v.Token), ChildQuery: q}
}

// ticket returns token's session ticket, made on first use. g.mu is held.
func (g *fakeGate) ticket(token string) *fakeTicket {
	if g.tickets == nil {
		g.tickets = map[string]*fakeTicket{}
	}
	t, ok := g.tickets[token]
	if !ok {
		t = &fakeTicket{id: "s-" + token, ended: make(chan struct{})}
		g.tickets[token] = t
	}
	return t
}

// seen returns the viewers asked about so far.
func (g *fakeGate) seen() []sessions.Viewer {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]sessions.Viewer(nil), g.viewers...)
}

// of returns token's ticket (made if the gate has not met the token).
func (g *fakeGate) of(token string) *fakeTicket {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.ticket(token)
}

// fakeTicket counts what a handler reports.
type fakeTicket struct {
	id      string
	bytes   atomic.Int64
	reports atomic.Int64 // calls of Sent
	closed  atomic.Int64 // calls of Close
	ended   chan struct{}
	endOnce sync.Once
}

func (t *fakeTicket) ID() string             { return t.id }
func (t *fakeTicket) Sent(n int)             { t.bytes.Add(int64(n)); t.reports.Add(1) }
func (t *fakeTicket) Ended() <-chan struct{} { return t.ended }
func (t *fakeTicket) Close()                 { t.closed.Add(1) }

// end ends the session, as a kick does.
func (t *fakeTicket) end() { t.endOnce.Do(func() { close(t.ended) }) }
