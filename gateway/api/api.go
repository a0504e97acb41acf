package api

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	"github.com/valyala/fasthttp"

	"streamhive/actors/config"
)

// The API answers under both prefixes: Flussonic's current one and its
// older alias, which existing scripts still use.
const (
	Prefix      = "/streamer/api/v3/"
	AliasPrefix = "/flussonic/api/v3/"
)

// defaultWriteTimeout bounds how long a write waits for the actor system
// to validate, persist and apply it.
const defaultWriteTimeout = 10 * time.Second

// Options configure an API.
type Options struct {
	// Control is the actor system. Required.
	Control Control
	// Logger receives failures; slog.Default() when nil.
	Logger *slog.Logger
	// WriteTimeout bounds each call into Control that waits (Apply,
	// StopStream); 10 s when zero. A write that times out answers 504.
	WriteTimeout time.Duration
	// PeerStats returns the live stats of the peer a `peer` line names,
	// which GET /cluster/peers adds to each; nil: none.
	PeerStats func(hostname string) PeerStats
}

// API serves the Control API. Safe for concurrent use by any number of
// fasthttp workers.
type API struct {
	ctl     Control
	log     *slog.Logger
	timeout time.Duration
	id      string // runtime id of this instance (server_stats.id)

	peerStats func(hostname string) PeerStats // nil: peers carry no stats

	snap    atomic.Pointer[snapshot]
	buildMu sync.Mutex // serialises building snapshots (current)
}

// New returns an API over o.Control.
func New(o Options) *API {
	if o.Control == nil {
		panic("api: Options.Control is required")
	}
	a := &API{ctl: o.Control, log: o.Logger, timeout: o.WriteTimeout, id: uuid.NewString(), peerStats: o.PeerStats}
	if a.log == nil {
		a.log = slog.Default()
	}
	if a.timeout <= 0 {
		a.timeout = defaultWriteTimeout
	}
	return a
}

// Match reports whether path is under one of the API prefixes.
func Match(path []byte) bool {
	return bytes.HasPrefix(path, []byte(Prefix)) || bytes.HasPrefix(path, []byte(AliasPrefix))
}

// Serve handles one request whose path Match accepted. Everything it
// keeps from rc is copied; rc is not used after Serve returns.
func (a *API) Serve(rc *fasthttp.RequestCtx) {
	start := time.Now()
	path := rc.Path()
	switch {
	case bytes.HasPrefix(path, []byte(Prefix)):
		path = path[len(Prefix):]
	case bytes.HasPrefix(path, []byte(AliasPrefix)):
		path = path[len(AliasPrefix):]
	}
	method := string(rc.Method())
	if method == fasthttp.MethodHead {
		method = fasthttp.MethodGet // fasthttp drops the body of a HEAD reply
	}
	rt, name := match(method, string(path))
	if rt == nil {
		writeErr(rc, fmt.Errorf("%w: %s", ErrRouteNotFound, path))
		unmatched.observe(rc.Response.StatusCode(), start)
		return
	}
	o := rt.ops[method]
	if o == nil {
		rc.Response.Header.Set(fasthttp.HeaderAllow, rt.allow)
		WriteError(rc, fasthttp.StatusMethodNotAllowed, "method_not_allowed", method+" is not allowed on "+rt.pattern)
		rt.other.observe(rc.Response.StatusCode(), start)
		return
	}
	r := &request{name: name}
	if o.need != accessNone {
		r.snap = a.current()
		if !r.snap.addressAllowed(rc) {
			o.metrics.observe(rc.Response.StatusCode(), start)
			return
		}
		who, presented := authorize(rc, r.snap.cfg)
		if who < o.need {
			deny(rc, who, presented)
			o.metrics.observe(rc.Response.StatusCode(), start)
			return
		}
		r.who = who
		if who == accessView {
			r.snap = r.snap.forViewer()
		}
	}
	o.handle(a, rc, r)
	o.metrics.observe(rc.Response.StatusCode(), start)
}

// apply sends one change to the actor system, bounded by the write
// timeout. The change holds copies only.
func (a *API) apply(c config.Change) error {
	ctx, cancel := context.WithTimeout(context.Background(), a.timeout)
	defer cancel()
	return a.ctl.Apply(ctx, c)
}

// stats is the statsFunc over Control: the located stream's report in
// the API's form.
func (a *API) stats(name string) *StreamStats {
	loc, ok := a.ctl.Locate(name)
	if !ok {
		return nil
	}
	st, ok := loc.Stream.Stats()
	if !ok {
		return nil
	}
	return streamStatsOf(&st)
}
