package peer

import (
	"bufio"
	"context"
	"errors"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/valyala/fasthttp"

	"streamhive/actors/cluster"
	"streamhive/gateway/api"
	"streamhive/gateway/live"
	"streamhive/media/hub"
	"streamhive/media/m4f"
)

// Limits of an m4f response.
const (
	// m4fWake bounds the wait for a stream that is starting (an on-demand
	// stream the pull woke): below the puller's 10 s wait for the
	// response header.
	m4fWake = 8 * time.Second
	// m4fWriteStall ends a response whose reader stopped reading: a
	// write that cannot finish in this time means a stuck or gone node.
	m4fWriteStall = 15 * time.Second
)

// M4F serves GET media/m4f.Path+NAME: the records of stream NAME (its
// source's tracks, then its frames as its hub delivers them), one
// chunked response per pulling node, until that node leaves, the stream
// stops (the response ends; the puller restarts and pulls the new one) or
// Close. It answers 403 without a valid proof of the cluster key, and 404
// for a stream this node does not run itself: unknown, on another node,
// or one it relays from another node (never a relay of a relay: an edge
// pulls from the owner, which placement names). A pull wakes an
// on-demand stream, as a viewer would.
type M4F struct {
	// Streams locates streams; the viewers' locator, which wakes a
	// sleeping on-demand stream.
	Streams live.Locator
	// Key returns the running configuration's cluster_key ("" refuses
	// every pull).
	Key func() string
	// Relayed reports whether this node pulls stream name from another
	// node; nil: none.
	Relayed func(name string) bool
	// Pulling, when set, is told of each pull served, until done: a pull
	// counts as a viewer of the stream (an on-demand stream runs while
	// other nodes' viewers watch it through their relay).
	Pulling func(name string) (done func())
	// Protected, when set, reports whether stream name is protected (a
	// drm line): its frames are clear media, so only a pull that says its
	// node protects the stream itself (m4f.ProtectsHeader: its relay has
	// the drm line and encrypts its outputs) gets them; any other is
	// refused (403), as a relay without the line would serve them clear.
	Protected func(name string) bool
	// Logger: slog.Default() when nil.
	Logger *slog.Logger

	once   sync.Once
	ctx    context.Context // ends with Close
	cancel context.CancelFunc
}

func (h *M4F) init() {
	h.once.Do(func() {
		h.ctx, h.cancel = context.WithCancel(context.Background())
		if h.Logger == nil {
			h.Logger = slog.Default()
		}
	})
}

// Close ends the responses in progress (the server stops); later pulls
// end at once.
func (h *M4F) Close() {
	h.init()
	h.cancel()
}

// Serve answers one pull.
func (h *M4F) Serve(rc *fasthttp.RequestCtx) {
	h.init()
	if !rc.IsGet() {
		rc.Response.Header.Set(fasthttp.HeaderAllow, fasthttp.MethodGet)
		api.WriteError(rc, fasthttp.StatusMethodNotAllowed, "method_not_allowed", "")
		return
	}
	if !cluster.CheckKeyProof(h.Key(), string(rc.Request.Header.Peek(cluster.KeyHeader)), time.Now()) {
		h.Logger.Warn("m4f: pull refused: no valid proof of the cluster key",
			slog.String("from", rc.RemoteAddr().String()), slog.String("path", string(rc.Path())))
		api.WriteError(rc, fasthttp.StatusForbidden, "forbidden", "a valid proof of the cluster key is required")
		return
	}
	name := strings.Trim(strings.TrimPrefix(string(rc.Path()), m4f.Path), "/")
	if h.Protected != nil && h.Protected(name) && !protects(rc) {
		h.Logger.Warn("m4f: pull refused: the stream is protected and the puller does not protect it",
			slog.String("stream", name), slog.String("from", rc.RemoteAddr().String()))
		api.WriteError(rc, fasthttp.StatusForbidden, "protected", "stream "+strconv.Quote(name)+
			" is protected: its frames go only to a node whose own drm line encrypts them")
		return
	}
	src, why := h.source(name)
	if src == nil {
		api.WriteError(rc, fasthttp.StatusNotFound, "not_found", why)
		return
	}
	done := h.pulling(name)
	ctx, cancel := context.WithTimeout(h.ctx, m4fWake)
	c, err := src.SourceFrames(ctx)
	cancel()
	if err != nil {
		done()
		rc.Response.Header.Set(fasthttp.HeaderRetryAfter, "1")
		api.WriteError(rc, fasthttp.StatusServiceUnavailable, "unavailable", "stream "+strconv.Quote(name)+" is not running: "+err.Error())
		return
	}
	rc.SetStatusCode(fasthttp.StatusOK)
	rc.SetContentType("application/vnd.streamhive.m4f")
	rc.Response.Header.Set(fasthttp.HeaderCacheControl, "no-cache")
	// The response ends only with the connection: its write deadlines
	// must not leak into a next request.
	rc.SetConnectionClose()
	conn, from := rc.Conn(), rc.RemoteAddr().String()
	rc.SetBodyStreamWriter(func(bw *bufio.Writer) {
		defer done()
		defer c.Close()
		began := time.Now()
		n, why := h.stream(bw, conn, name, c)
		h.Logger.Info("m4f: pull ended", slog.String("stream", name), slog.String("to", from),
			slog.Int64("bytes", n), slog.Duration("for", time.Since(began)), slog.String("why", why))
	})
}

// protects reports whether the pull says its node protects the stream
// itself. The proof of the cluster key, checked before, vouches for the
// node saying it.
func protects(rc *fasthttp.RequestCtx) bool {
	return string(rc.Request.Header.Peek(m4f.ProtectsHeader)) == m4f.ProtectsValue
}

// pulling notes a pull of stream name until done.
func (h *M4F) pulling(name string) (done func()) {
	if h.Pulling == nil {
		return func() {}
	}
	return h.Pulling(name)
}

// source finds the stream a pull may have; nil and why not otherwise.
func (h *M4F) source(name string) (live.SourceFrames, string) {
	if name == "" {
		return nil, "no stream named"
	}
	if h.Relayed != nil && h.Relayed(name) {
		return nil, "stream " + strconv.Quote(name) + " is relayed here from another node; pull it from its owner"
	}
	loc, ok := h.Streams.Locate(name)
	if !ok || loc.Node != live.Local {
		return nil, "no stream " + strconv.Quote(name) + " runs on this node"
	}
	src, ok := loc.Stream.(live.SourceFrames)
	if !ok {
		return nil, "stream " + strconv.Quote(name) + " has no frames to send"
	}
	return src, ""
}

// stream writes c's frames, with a Tracks record before the first and
// whenever the list changes, flushing whenever c has nothing more queued
// (per frame when keeping up, a small batch after a stall). It returns
// the bytes written and why it stopped.
func (h *M4F) stream(bw *bufio.Writer, conn net.Conn, name string, c *hub.Consumer) (int64, string) {
	cw := &countingWriter{w: bw}
	w := m4f.NewWriter(cw, name)
	// The header goes at once: it sends the response's header too, which
	// the puller waits for while the stream has no keyframe yet.
	if err := w.WriteHeader(); err != nil {
		return cw.n, "client: " + err.Error()
	}
	if err := bw.Flush(); err != nil {
		return cw.n, "client: " + err.Error()
	}
	var version uint64
	for first := true; ; first = false {
		f, err := c.Read(h.ctx)
		switch {
		case errors.Is(err, hub.ErrClosed):
			return cw.n, "stream stopped"
		case err != nil:
			return cw.n, "server stopping"
		}
		_ = conn.SetWriteDeadline(time.Now().Add(m4fWriteStall))
		if t := c.Tracks(); first || t.Version != version {
			version = t.Version
			if err := w.WriteTracks(t.List); err != nil {
				return cw.n, "client: " + err.Error()
			}
		}
		if err := w.WriteFrame(f); err != nil {
			return cw.n, "client: " + err.Error()
		}
		if len(c.C()) == 0 {
			if err := bw.Flush(); err != nil {
				return cw.n, "client: " + err.Error()
			}
		}
	}
}

// countingWriter counts what a response wrote.
type countingWriter struct {
	w *bufio.Writer
	n int64
}

func (c *countingWriter) Write(b []byte) (int, error) {
	n, err := c.w.Write(b)
	c.n += int64(n)
	return n, err
}
