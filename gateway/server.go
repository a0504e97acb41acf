// Package gateway is StreamHive's HTTP front door: one fasthttp server
// that routes the Control API (gateway/api), /metrics, and hands every
// other path to the playback handlers (HLS/DASH, mounted through
// Config.Play). It recovers handler panics into a 500 and logs each
// request at debug level.
//
// It imports actors (through gateway/api) and media; never protocols or
// supervision.
package gateway

import (
	"bytes"
	"cmp"
	"context"
	"crypto/tls"
	"log/slog"
	"net"
	"runtime/debug"
	"time"

	"github.com/valyala/fasthttp"

	"streamhive/gateway/api"
	"streamhive/gateway/peer"
)

// Defaults for Config's timeouts.
const (
	// DefaultReadTimeout bounds reading one request, headers and body.
	DefaultReadTimeout = 30 * time.Second
	// DefaultIdleTimeout closes keep-alive connections idle this long, which
	// also bounds how long Shutdown waits for idle clients.
	DefaultIdleTimeout = 2 * time.Minute
	// DefaultMaxRequestBodySize caps request bodies: the whole config
	// text of 10,000 streams is about 1 MB. A larger body is answered 413
	// before any of it is parsed.
	DefaultMaxRequestBodySize = 4 << 20
)

// Config configures a Server. Only Control is required.
type Config struct {
	// Control is the actor system as the Control API sees it.
	Control api.Control
	// PeerStats fills /cluster/peers' stats (api.Options.PeerStats).
	PeerStats func(hostname string) api.PeerStats
	// Logger receives the access log (debug) and errors; slog.Default()
	// when nil.
	Logger *slog.Logger
	// Play serves every path outside the API (/streamer/api/v3/,
	// /flussonic/api/v3/) and /metrics: playback (gateway/play), the web
	// UI. It runs under the same panic recovery and access log. Nil
	// answers 404 in the API's error shape.
	Play fasthttp.RequestHandler
	// Peer serves the endpoints other nodes of the cluster call, under
	// /streamhive/cluster/ (gateway/peer); nil: 404 there.
	Peer fasthttp.RequestHandler
	// APITimeout bounds how long an API write waits for the actor system;
	// api's default (10 s) when zero.
	APITimeout time.Duration
	// ReadTimeout, IdleTimeout: DefaultReadTimeout, DefaultIdleTimeout
	// when zero. WriteTimeout: none when zero (long downloads and blocking
	// playlist reloads must not be cut).
	ReadTimeout, WriteTimeout, IdleTimeout time.Duration
	// MaxRequestBodySize caps request bodies (a PUT of the whole config);
	// DefaultMaxRequestBodySize when zero.
	MaxRequestBodySize int
}

// peerPrefix is where Config.Peer's endpoints live.
var peerPrefix = []byte("/streamhive/cluster/")

// Server is the HTTP server. Serve may be called for several listeners;
// Shutdown stops them all.
type Server struct {
	api  *api.API
	ctl  api.Control // what /metrics reads
	play fasthttp.RequestHandler
	peer fasthttp.RequestHandler // inter-node endpoints; nil without a cluster
	log  *slog.Logger
	srv  *fasthttp.Server
	// maxBody: the request body cap for every request but an HTTP
	// MPEG-TS publisher's (body.go).
	maxBody int
}

// New builds a Server; it listens on nothing until Serve.
func New(cfg Config) *Server {
	log := cfg.Logger
	if log == nil {
		log = slog.Default()
	}
	s := &Server{
		api:  api.New(api.Options{Control: cfg.Control, Logger: log, WriteTimeout: cfg.APITimeout, PeerStats: cfg.PeerStats}),
		play: cfg.Play,
		ctl:  cfg.Control,
		peer: cfg.Peer,
		log:  log,

		maxBody: cmp.Or(cfg.MaxRequestBodySize, DefaultMaxRequestBodySize),
	}
	s.srv = &fasthttp.Server{
		Handler:            s.Handler,
		Name:               "streamhive",
		ReadTimeout:        orDefault(cfg.ReadTimeout, DefaultReadTimeout),
		WriteTimeout:       cfg.WriteTimeout,
		IdleTimeout:        orDefault(cfg.IdleTimeout, DefaultIdleTimeout),
		MaxRequestBodySize: s.maxBody,
		// Streamed so that an HTTP MPEG-TS publisher's endless body reaches
		// its handler; boundBody reads every other body whole, capped.
		StreamRequestBody: true,
		Logger:            fasthttpLogger{log},
		ErrorHandler:      requestError,
	}
	return s
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

// Serve accepts connections on ln until Shutdown; it then returns nil.
func (s *Server) Serve(ln net.Listener) error { return s.srv.Serve(ln) }

// ServeTLS is Serve over TLS with cfg (an `https PORT;` listener): the
// same routes, API and playback. It is what fasthttp's ServeTLS does
// (tls.NewListener around ln), but with this listener's own cfg, whose
// GetCertificate renews the certificate on reload; fasthttp's keeps one
// TLSConfig for the whole server. ctx.IsTLS() is true for its requests.
func (s *Server) ServeTLS(ln net.Listener, cfg *tls.Config) error {
	return s.srv.Serve(tls.NewListener(ln, cfg))
}

// Shutdown closes the listeners and waits, until ctx ends, for requests in
// flight to finish and idle connections to close.
func (s *Server) Shutdown(ctx context.Context) error { return s.srv.ShutdownWithContext(ctx) }

// Handler serves one request: the whole gateway as a fasthttp handler, for
// tests and benchmarks that drive it without a listener.
//
// fasthttp has no router and the gateway has three fixed groups, told
// apart by prefix; the API routes inside its own group (api.Match).
func (s *Server) Handler(rc *fasthttp.RequestCtx) {
	start := time.Now()
	defer s.finish(rc, start)
	path := rc.Path()
	if !streamsBody(rc) && !s.boundBody(rc) {
		return
	}
	switch {
	case api.Match(path):
		s.api.Serve(rc)
	case peer.Match(path):
		if s.peer == nil {
			api.WriteError(rc, fasthttp.StatusNotFound, "not_found", "this node is in no cluster")
			return
		}
		s.peer(rc)
	case string(path) == "/metrics":
		if s.api.AdmitRead(rc) {
			serveMetrics(rc, s.ctl)
		}
	case s.peer != nil && bytes.HasPrefix(path, peerPrefix):
		s.peer(rc)
	case s.play != nil:
		s.play(rc)
	default:
		api.WriteError(rc, fasthttp.StatusNotFound, "not_found", "no such resource")
	}
}

// finish turns a panic into a 500 and writes the access log line.
func (s *Server) finish(rc *fasthttp.RequestCtx, start time.Time) {
	if v := recover(); v != nil {
		s.log.Error("gateway: handler panicked",
			slog.Any("panic", v), slog.String("method", string(rc.Method())),
			slog.String("path", string(rc.Path())), slog.String("stack", string(debug.Stack())))
		rc.Response.Reset()
		api.WriteError(rc, fasthttp.StatusInternalServerError, "internal", "internal error")
	}
	if s.log.Enabled(context.Background(), slog.LevelDebug) {
		// Body() of a streamed response (continuous /mpegts) would read the
		// whole stream here, inside the handler: log -1 for those instead.
		bytes := -1
		if !rc.Response.IsBodyStream() {
			bytes = len(rc.Response.Body())
		}
		s.log.LogAttrs(context.Background(), slog.LevelDebug, "http request",
			slog.String("method", string(rc.Method())),
			slog.String("path", string(rc.Path())),
			slog.Int("status", rc.Response.StatusCode()),
			slog.Int("bytes", bytes),
			slog.Duration("took", time.Since(start)),
			slog.String("peer", rc.RemoteAddr().String()))
	}
}
