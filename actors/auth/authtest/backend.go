// Package authtest holds the test stand-ins of viewer and publisher
// protection, for the tests of actors/auth and of everything that asks
// it (sessions, the gateway, the publish listeners, the e2e auth matrix):
//
//   - Backend: a real HTTP auth backend on 127.0.0.1 speaking
//     shared/flussonic-openapi/auth-backend.yaml, whose answer per token is
//     programmable (allow with headers, deny, 302, any status, a sleep, a
//     hang, a dropped connection) and that records every request's query;
//   - CountryDB: a MaxMind country database (mmdb) mapping the networks a
//     test names to countries, for geoip;
//   - SecureLink: Flussonic's securetoken, signed the way a website signs
//     it.
//
// A test protects a stream with a Backend, programs answers per token and
// reads back what the server asked:
//
//	be := authtest.NewBackend(t) // closed when the test ends
//	be.Set("viewer-1", authtest.Allow("X-UserId", "u1", "X-Max-Sessions", "3", "X-AuthDuration", "60"))
//	be.Set("banned", authtest.Deny())
//	be.Set("slow", authtest.Slow(time.Minute)) // past the server's backend timeout
//	be.SetDefault(authtest.Status(500))        // any other token: a broken backend
//	conf := fmt.Sprintf("stream cam1 { input publish://; on_play %s; }", be.URL)
//	// ... play cam1 with ?token=viewer-1 ...
//	q := be.Requests()[0] // q.Get("request_type") == "new_session", q.Get("proto") == "hls"
//	be.Close()            // the backend is down from now on
//
//	geo := authtest.CountryDB(t, map[string]string{"127.0.0.0/8": "GB"}) // for `geoip PATH;`
//	tok := authtest.SecureLink{Name: "cam1", IP: "127.0.0.1", Secret: "k", Salt: "s1",
//		Start: time.Now().Add(-time.Minute), End: time.Now().Add(time.Hour)}.Token()
//
// It imports nothing of ours, so any test package can use it.
package authtest

import (
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"sync"
	"testing"
	"time"
)

// Answer is what Backend answers a request.
type Answer struct {
	// Status is the HTTP status (200, 302, 403, 500, ...).
	Status int
	// Headers go with the answer: X-AuthDuration, X-UserId,
	// X-Max-Sessions, X-Unique, Location.
	Headers map[string]string
	// Sleep delays the answer (past the caller's timeout to simulate a
	// slow backend); the wait ends early when the caller gives up.
	Sleep time.Duration
	// Hang never answers: the request waits until the caller gives up or
	// the Backend closes.
	Hang bool
	// Drop closes the connection without an answer.
	Drop bool
}

// Allow is a 200 with headers given as name, value pairs:
// Allow("X-UserId", "u1", "X-Max-Sessions", "3").
func Allow(headerPairs ...string) Answer {
	a := Answer{Status: http.StatusOK, Headers: map[string]string{}}
	for i := 0; i+1 < len(headerPairs); i += 2 {
		a.Headers[headerPairs[i]] = headerPairs[i+1]
	}
	return a
}

// Deny is a 403.
func Deny() Answer { return Answer{Status: http.StatusForbidden} }

// RedirectTo is a 302 to location.
func RedirectTo(location string) Answer {
	return Answer{Status: http.StatusFound, Headers: map[string]string{"Location": location}}
}

// Status is a bare answer with status code.
func Status(code int) Answer { return Answer{Status: code} }

// Slow is a 200 after d.
func Slow(d time.Duration) Answer { a := Allow(); a.Sleep = d; return a }

// Hang never answers.
func Hang() Answer { return Answer{Hang: true} }

// Drop closes the connection without answering.
func Drop() Answer { return Answer{Drop: true} }

// Backend is an HTTP auth backend on 127.0.0.1 for tests. Its answer is
// chosen by the request's token: Set(token, answer), else the default
// (Deny unless SetDefault). It is safe for concurrent use.
type Backend struct {
	// URL is the backend's address, for `on_play URL;`.
	URL string

	srv  *httptest.Server
	done chan struct{} // closed by Close: ends hanging answers

	mu       sync.Mutex
	answers  map[string]Answer
	fallback Answer
	requests []url.Values
	conns    int // connections accepted
	closed   bool
}

// NewBackend starts a Backend, closed when the test ends.
func NewBackend(t testing.TB) *Backend {
	t.Helper()
	b := &Backend{answers: map[string]Answer{}, fallback: Deny(), done: make(chan struct{})}
	b.srv = httptest.NewUnstartedServer(http.HandlerFunc(b.serve))
	b.srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			b.mu.Lock()
			b.conns++
			b.mu.Unlock()
		}
	}
	b.srv.Start()
	b.URL = b.srv.URL + "/auth"
	t.Cleanup(b.Close)
	return b
}

// Set makes the backend answer a for token.
func (b *Backend) Set(token string, a Answer) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.answers[token] = a
}

// SetDefault makes the backend answer a for tokens without their own.
func (b *Backend) SetDefault(a Answer) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.fallback = a
}

// Requests returns the query of every request so far, in arrival order.
func (b *Backend) Requests() []url.Values {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make([]url.Values, len(b.requests))
	for i, q := range b.requests {
		out[i] = cloneValues(q)
	}
	return out
}

// Count returns how many requests arrived; with token, only those that
// carried it.
func (b *Backend) Count(token ...string) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := 0
	for _, q := range b.requests {
		if len(token) == 0 || q.Get("token") == token[0] {
			n++
		}
	}
	return n
}

// Connections returns how many TCP connections the backend accepted: a
// client that keeps connections alive opens one for sequential requests.
func (b *Backend) Connections() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.conns
}

// Close stops the backend: from then on connections are refused (a
// backend that is down). Hanging answers end. Close is idempotent.
func (b *Backend) Close() {
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return
	}
	b.closed = true
	close(b.done)
	b.mu.Unlock()
	b.srv.CloseClientConnections()
	b.srv.Close()
}

func (b *Backend) serve(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	b.mu.Lock()
	b.requests = append(b.requests, cloneValues(q))
	a, ok := b.answers[q.Get("token")]
	if !ok {
		a = b.fallback
	}
	b.mu.Unlock()
	b.answer(w, r, a)
}

func (b *Backend) answer(w http.ResponseWriter, r *http.Request, a Answer) {
	switch {
	case a.Drop:
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				_ = conn.Close()
				return
			}
		}
		panic(http.ErrAbortHandler)
	case a.Hang:
		select {
		case <-r.Context().Done():
		case <-b.done:
		}
		panic(http.ErrAbortHandler) // no answer at all, not an empty 200
	case a.Sleep > 0:
		t := time.NewTimer(a.Sleep)
		defer t.Stop()
		select {
		case <-t.C:
		case <-r.Context().Done():
			panic(http.ErrAbortHandler)
		case <-b.done:
			panic(http.ErrAbortHandler)
		}
	}
	for k, v := range a.Headers {
		w.Header().Set(k, v)
	}
	w.Header().Set("Content-Length", strconv.Itoa(len("ok\n")))
	w.WriteHeader(a.Status)
	_, _ = w.Write([]byte("ok\n"))
}

func cloneValues(q url.Values) url.Values {
	out := make(url.Values, len(q))
	for k, v := range q {
		out[k] = append([]string(nil), v...)
	}
	return out
}
