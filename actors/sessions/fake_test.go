package sessions

import (
	"bytes"
	"context"
	"log/slog"
	"net/netip"
	"sync"
	"testing"

	"streamhive/actors/auth"
)

// fakePolicy is a stream's protection for tests: it answers with decide
// (Allow when nil) and records every request.
type fakePolicy struct {
	limits auth.Limits
	decide func(auth.Request) auth.Decision

	mu   sync.Mutex
	asks []auth.Request
}

func (p *fakePolicy) Check(_ context.Context, r auth.Request) auth.Decision {
	p.mu.Lock()
	p.asks = append(p.asks, r)
	decide := p.decide
	p.mu.Unlock()
	if decide == nil {
		return auth.Decision{Verdict: auth.Allow}
	}
	return decide(r)
}

func (p *fakePolicy) Limits() auth.Limits { return p.limits }

func (p *fakePolicy) requests() []auth.Request {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]auth.Request(nil), p.asks...)
}

func (p *fakePolicy) setDecide(f func(auth.Request) auth.Decision) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.decide = f
}

// fakePolicies protects the streams it holds; the rest are unprotected.
type fakePolicies map[string]*fakePolicy

func (f fakePolicies) Play(stream string) auth.Policy {
	if p, ok := f[stream]; ok {
		return p
	}
	return nil // never a typed nil
}

func (f fakePolicies) Publish(string) auth.Policy { return nil }

// syncBuffer is a log sink tests read while sessions write.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// newTestTable returns a Table over policies whose log goes to the
// returned buffer; it is closed at cleanup.
func newTestTable(t testing.TB, o Options) (*Table, *syncBuffer) {
	t.Helper()
	logs := &syncBuffer{}
	o.Logger = slog.New(slog.NewTextHandler(logs, nil))
	tab := New(o)
	t.Cleanup(tab.Close)
	return tab, logs
}

func viewer(stream, token string) Viewer {
	return Viewer{
		Stream: stream, Proto: "hls", IP: netip.MustParseAddr("10.0.0.1"), Token: token,
		Query: "token=" + token, UserAgent: "ffmpeg", Referer: "http://portal/",
	}
}

func admit(t testing.TB, tab *Table, v Viewer) Admission {
	t.Helper()
	return tab.Admit(context.Background(), v)
}

func mustAllow(t testing.TB, a Admission) Ticket {
	t.Helper()
	if a.Verdict != auth.Allow || a.Ticket == nil {
		t.Fatalf("admission %+v, want Allow with a ticket", a)
	}
	return a.Ticket
}

func ended(tk Ticket) bool {
	select {
	case <-tk.Ended():
		return true
	default:
		return false
	}
}
