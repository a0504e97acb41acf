//go:build e2e

package main

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"
)

// pageReports keeps what a test page POSTs to /report, each body decoded
// as R (the browser tests' pages report their player's state so).
type pageReports[R any] struct {
	mu  sync.Mutex
	all []R
}

// handle is the /report handler: a body that is not an R is ignored.
func (p *pageReports[R]) handle(w http.ResponseWriter, r *http.Request) {
	var rep R
	b, _ := io.ReadAll(r.Body)
	if json.Unmarshal(b, &rep) == nil {
		p.mu.Lock()
		p.all = append(p.all, rep)
		p.mu.Unlock()
	}
	w.WriteHeader(http.StatusNoContent)
}

// latest returns the last report (zero before any) and how many came.
func (p *pageReports[R]) latest() (R, int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	var last R
	if len(p.all) > 0 {
		last = p.all[len(p.all)-1]
	}
	return last, len(p.all)
}

// since returns the reports from the i-th on.
func (p *pageReports[R]) since(i int) []R {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]R(nil), p.all[min(i, len(p.all)):]...)
}

// serveTestPage serves mux, with /report collecting into reps, on a
// loopback port until the test ends, and returns its base URL.
func serveTestPage[R any](t *testing.T, mux *http.ServeMux, reps *pageReports[R]) string {
	t.Helper()
	mux.HandleFunc("/report", reps.handle)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }() // ends with ErrServerClosed at the cleanup
	t.Cleanup(func() { _ = srv.Close() })
	return "http://" + ln.Addr().String()
}
