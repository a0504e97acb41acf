package main

import (
	"net"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"
)

// authDuration is what the loadgen's auth backend answers in
// X-AuthDuration: longer than any run, so that every decision after a
// session's first is the cached one (what a busy origin sees).
const authDuration = time.Hour

// authBackend is an auth backend (shared/flussonic-openapi/auth-backend.yaml)
// on 127.0.0.1 that lets everyone in for authDuration. It runs in this
// process, so its cost is the load generator's, not the server's; it
// counts the requests it answers to show the decisions were cached.
type authBackend struct {
	URL  string
	asks atomic.Int64
	srv  *http.Server
}

// startAuthBackend starts an authBackend; Close stops it.
func startAuthBackend() (*authBackend, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	b := &authBackend{URL: "http://" + ln.Addr().String() + "/auth"}
	b.srv = &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		b.asks.Add(1)
		w.Header().Set("X-AuthDuration", strconv.Itoa(int(authDuration/time.Second)))
		w.WriteHeader(http.StatusOK)
	}), ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = b.srv.Serve(ln) }() // ends with ErrServerClosed at Close
	return b, nil
}

// Close stops the backend.
func (b *authBackend) Close() { _ = b.srv.Close() }
