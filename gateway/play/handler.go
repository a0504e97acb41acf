package play

import (
	"context"
	"log/slog"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/valyala/fasthttp"

	"streamhive/actors/sessions"
	"streamhive/gateway/live"
	"streamhive/gateway/web"
)

// DefaultReadyTimeout is how long a playlist request waits for a stream's
// first segment before answering 503: long enough for an input that is
// connecting to produce one (a 2 s segment plus a keyframe), short enough
// that a player retries before it gives up.
const DefaultReadyTimeout = 3 * time.Second

// Options configure a Handler. Only Streams is required.
type Options struct {
	// Streams locates the stream of each request.
	Streams live.Locator
	// Logger receives errors, and at debug level MPEG-TS sessions;
	// slog.Default() when nil.
	Logger *slog.Logger
	// ReadyTimeout bounds the wait for a stream's first segment (and for
	// its preview); DefaultReadyTimeout when zero.
	ReadyTimeout time.Duration
	// WHIP, when set, takes WebRTC publishers at /NAME/whip (whip.go).
	WHIP WHIP
	// TSPublish, when set, takes HTTP MPEG-TS publishers at POST
	// /NAME/mpegts (tspublish.go). The HTTP server must stream request
	// bodies (gateway.Config does).
	TSPublish TSPublish
	// Balance, when set, may send a viewer to another node of the
	// cluster (balance.go).
	Balance Balancer
	// WHEP, when set, plays to WebRTC viewers at /NAME/whep (whep.go).
	WHEP WHEP
	// Gate admits every playback request to a viewer session (gate.go);
	// nil: no sessions, everyone plays.
	Gate sessions.Gate
	// TokenKey returns the query key of a viewer's token (the server's
	// auth_token, read per request so a reload applies);
	// auth.DefaultTokenKey when nil or empty.
	TokenKey func() string
	// DRM, when set, finds protected streams: their outputs go out
	// encrypted or are refused (protect.go).
	DRM DRM
}

// Handler serves the playback endpoints. It is safe for concurrent use;
// mount Serve as gateway.Config.Play. Close it before shutting the HTTP
// server down: continuous MPEG-TS responses otherwise never end.
type Handler struct {
	streams live.Locator
	log     *slog.Logger
	ready   time.Duration
	cache   renderCache
	// selected: the track selections of TS segments (tracks.go)
	selected selCache
	whip     WHIP // nil: no WHIP endpoint
	// tsPublish: nil, POST /NAME/mpegts is refused (405).
	tsPublish TSPublish
	whep      WHEP     // nil: no WHEP endpoint
	balance   Balancer // nil: every viewer is served here
	gate      sessions.Gate
	// tokenKey: see Options.TokenKey.
	tokenKey func() string
	drm      DRM       // nil: no stream is protected
	sealed   sealCache // encrypted media of protected streams

	ctx  context.Context // canceled by Close
	stop context.CancelFunc

	tsViewers atomic.Int64 // continuous MPEG-TS responses in progress
}

// New returns a Handler.
func New(opts Options) *Handler {
	h := &Handler{
		streams: opts.Streams, log: opts.Logger, ready: opts.ReadyTimeout, whip: opts.WHIP,
		tsPublish: opts.TSPublish, whep: opts.WHEP, gate: opts.Gate, tokenKey: opts.TokenKey,
		balance: opts.Balance, drm: opts.DRM,
	}
	if h.log == nil {
		h.log = slog.Default()
	}
	if h.ready <= 0 {
		h.ready = DefaultReadyTimeout
	}
	h.ctx, h.stop = context.WithCancel(context.Background())
	return h
}

// Close ends every continuous MPEG-TS response and wakes every blocked
// request (they answer 503). Requests after Close still work, but answer
// at once rather than wait.
func (h *Handler) Close() { h.stop() }

// Serve handles one request; it is a fasthttp.RequestHandler.
func (h *Handler) Serve(rc *fasthttp.RequestCtx) {
	setCORS(rc)
	if w, ok := parseWHIP(rc.Path(), rc.IsGet() || rc.IsHead()); ok && h.whip != nil {
		h.serveWHIP(rc, w)
		return
	}
	if name, ok := parseTSPublish(rc); ok {
		h.serveTSPublish(rc, name)
		return
	}
	if w, ok := parseSessionPath(rc.Path(), rc.IsGet() || rc.IsHead(), whepPathElement); ok && h.whep != nil {
		if !h.refusedWHEP(rc, w.name) {
			h.serveWHEP(rc, w)
		}
		return
	}
	if h.serveDRM(rc) {
		return
	}
	switch {
	case rc.IsGet(), rc.IsHead():
	case rc.IsOptions():
		preflight(rc)
		return
	default:
		rc.Response.Header.Set(fasthttp.HeaderAllow, "GET, HEAD, OPTIONS")
		writeError(rc, fasthttp.StatusMethodNotAllowed, codeMethod, "")
		return
	}
	if name, ok := strings.CutPrefix(string(rc.Path()), web.AssetPrefix); ok {
		web.ServeAsset(rc, name)
		return
	}
	if string(rc.Path()) == "/" { // the operator's web UI (gateway/web)
		web.ServeUI(rc)
		return
	}
	r, err := parsePath(string(rc.Path())) // copies: nothing below keeps rc's bytes
	if err != nil {
		writeError(rc, fasthttp.StatusNotFound, codeNotFound, "no such resource")
		return
	}
	if r.redirectable() && h.redirect(rc, r.name, fasthttp.StatusFound) {
		return
	}
	loc, ok := h.streams.Locate(r.name)
	if !ok {
		writeError(rc, fasthttp.StatusNotFound, codeNotFound, "no stream "+strconv.Quote(r.name))
		return
	}
	st := loc.Stream
	if p, alt := r.protocol(); !st.Enabled(p) && (alt == "" || !st.Enabled(alt)) {
		writeError(rc, fasthttp.StatusForbidden, codeDisabled, p+" is disabled for stream "+strconv.Quote(r.name))
		return
	}
	if h.refusedClear(rc, r) {
		return
	}
	if r.kind == kindEmbed { // no media: its player's requests are the viewer
		serveEmbed(rc, st, r.name)
		return
	}
	g, ok := h.admit(rc, r)
	if !ok {
		return
	}
	switch r.kind {
	case kindMaster, kindMedia:
		h.servePlaylist(rc, st, r, g)
	case kindSegment:
		h.serveSegment(rc, st, r)
	case kindMPD:
		h.serveMPD(rc, st, r.name, g)
	case kindMPEGTS:
		h.serveMPEGTS(rc, st, r.name, g)
	case kindPreview:
		h.servePreview(rc, st, r.name)
	case kindArchive:
		h.serveArchive(rc, st, r, g)
	case kindImage:
		h.serveThumbnail(rc, st, r)
	case kindImagePlaylist:
		h.serveImagePlaylist(rc, st, r, g)
	case kindEmbed: // answered before the Gate
	case kindMSELD:
		h.serveMSELD(rc, st, r.name, g)
	case kindMediaInfo:
		h.serveMediaInfo(rc, st, r.name)
	case kindInfo:
		h.serveInfo(rc, st, r.name)
	case kindIndexJSON:
		h.serveIndexJSON(rc, st, r.name)
	case kindLiveDTS:
		h.serveLiveDTS(rc, st, r)
	case kindPreviewMP4:
		h.servePreviewMP4(rc, st, r.name)
	}
	h.answered(rc, r, g)
}

// answered reports a whole answer's bytes to the session (streamed ones
// count as they go) and, for an MPEG-TS session, whose one response is
// its life (a connection protocol's session), ends the session when no
// stream follows: an error, HEAD.
func (h *Handler) answered(rc *fasthttp.RequestCtx, r route, g grant) {
	if rc.Response.IsBodyStream() {
		return // the stream's writer reports and closes
	}
	if !rc.IsHead() {
		g.Sent(len(rc.Response.Body()))
	}
	if authProto(r) == protoMPEGTS {
		g.Close()
	}
}

// waitContext returns a context for a wait inside a handler: it ends after
// d or when the Handler is closed. (Not derived from rc: fasthttp's
// RequestCtx is no cancelable context, and deriving from it costs a
// goroutine per wait. Close ends the waits at shutdown instead.)
func (h *Handler) waitContext(d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(h.ctx, d)
}
