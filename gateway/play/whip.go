package play

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"mime"
	"net"
	"net/url"
	"strconv"
	"time"

	"github.com/valyala/fasthttp"
)

// WHIP publishing (RFC 9725) at Flussonic's URL:
//
//	POST    /NAME/whip       an SDP offer (application/sdp) -> 201 Created,
//	                         the SDP answer, Location: /NAME/whip/ID
//	DELETE  /NAME/whip/ID    ends the session -> 200
//	PATCH   /NAME/whip/ID    405: trickle ICE and ICE restarts are not
//	                         supported (the answer carries every candidate)
//	OPTIONS either           CORS preflight (browsers publish from other
//	                         origins)
//
// Refusals use the Control API's error shape: 400 an offer we cannot
// answer, 415 a body that is not application/sdp, 404 no such stream (or
// session), 403 a stream that takes no publishers (no publish:// input),
// 409 a stream that is not running, 503 while the server stops.

// WHIP is the WebRTC publishing side the handler hands WHIP requests to.
// Methods are called from many goroutines at once.
type WHIP interface {
	// Offer answers offer for a publisher of stream name and starts its
	// session; ctx bounds the negotiation, not the session. Errors wrap
	// ErrBadOffer, ErrNoStream, ErrNotPublishable, ErrStreamDown or
	// ErrUnavailable; any other is a 500.
	Offer(ctx context.Context, name string, offer []byte, peer net.Addr) (answer []byte, id string, err error)
	// End ends session id of stream name; ErrNoSession when there is none.
	End(name, id string) error
}

// Errors a WHIP implementation wraps to choose the answer's status.
var (
	ErrBadOffer       = errors.New("play: bad SDP offer")                     // 400
	ErrNoStream       = errors.New("play: no such stream")                    // 404
	ErrNoSession      = errors.New("play: no such WHIP or WHEP session")      // 404
	ErrNotPublishable = errors.New("play: stream takes no publishers")        // 403
	ErrStreamDown     = errors.New("play: stream is not running")             // 409
	ErrUnavailable    = errors.New("play: publishing is unavailable for now") // 503
	ErrDenied         = errors.New("play: publishing is not allowed")         // 401 without credentials, else 403
)

// Credentials are what a WHIP publisher presented with its offer: the
// request's query string (password=, token=) and its Authorization header.
// The handler puts them in the context it passes to WHIP.Offer.
type Credentials struct {
	Query         string
	Authorization string
}

type credentialsKey struct{}

// CredentialsFrom returns the Credentials the handler put in ctx.
func CredentialsFrom(ctx context.Context) Credentials {
	c, _ := ctx.Value(credentialsKey{}).(Credentials)
	return c
}

// presented reports whether the offer carried any credential: an
// Authorization header, or a password or token (under tokenKey) in its
// query.
func (c Credentials) presented(tokenKey string) bool {
	if c.Authorization != "" {
		return true
	}
	q, err := url.ParseQuery(c.Query)
	return err == nil && (q.Has("password") || q.Has(tokenKey))
}

// whipTimeout bounds an offer's negotiation (gathering host candidates
// takes milliseconds; the stream's admission is a directory read).
const whipTimeout = 10 * time.Second

// typeSDP is WHIP's content type.
const typeSDP = "application/sdp"

// Error codes of WHIP's refusals.
const (
	codeBadOffer     = "bad_request"
	codeForbidden    = "forbidden"
	codeConflict     = "conflict"
	codeUnsupported  = "unsupported_media_type"
	codeUnavailable  = "unavailable"
	codeUnauthorized = "unauthorized"
)

const (
	whipMethods     = "POST, OPTIONS"
	sessionMethods  = "DELETE, PATCH, OPTIONS"
	whipPathElement = "whip"
)

// whipRoute is a parsed WHIP path: the endpoint (id empty) or a session.
type whipRoute struct{ name, id string }

// parseWHIP matches /NAME/whip and /NAME/whip/ID, where ID is a session ID
// (32 hex digits, so no playback file name is taken for one). Playback
// requests for a stream whose name ends in /whip still reach playback:
// GET and HEAD of a session path are not WHIP's.
func parseWHIP(path []byte, get bool) (whipRoute, bool) {
	return parseSessionPath(path, get, whipPathElement)
}

// parseSessionPath matches /NAME/ELEM and /NAME/ELEM/ID (WHIP's and
// WHEP's resources).
//
// It is asked of every request, so a path that does not match costs no
// allocation: the path is copied into strings only on a match.
func parseSessionPath(path []byte, get bool, elem string) (whipRoute, bool) {
	if name, ok := cutElem(path, elem); ok && len(name) > 1 && name[0] == '/' {
		return whipRoute{name: string(name[1:])}, true
	}
	i := bytes.LastIndexByte(path, '/')
	if get || i < 0 || !isSessionID(path[i+1:]) {
		return whipRoute{}, false
	}
	name, ok := cutElem(path[:i], elem)
	if !ok || len(name) < 2 || name[0] != '/' {
		return whipRoute{}, false
	}
	return whipRoute{name: string(name[1:]), id: string(path[i+1:])}, true
}

// cutElem cuts "/"+elem off the end of p.
func cutElem(p []byte, elem string) ([]byte, bool) {
	n := len(p) - len(elem) - 1
	if n < 0 || p[n] != '/' || string(p[n+1:]) != elem {
		return p, false
	}
	return p[:n], true
}

func isSessionID(s []byte) bool {
	if len(s) != 32 {
		return false
	}
	for _, c := range s {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// serveWHIP answers one WHIP request.
func (h *Handler) serveWHIP(rc *fasthttp.RequestCtx, r whipRoute) {
	rc.Response.Header.Set(fasthttp.HeaderCacheControl, cacheNone)
	allow := whipMethods
	if r.id != "" {
		allow = sessionMethods
	}
	switch {
	case rc.IsOptions():
		whipPreflight(rc, allow)
	case r.id == "" && rc.IsPost():
		h.whipOffer(rc, r.name)
	case r.id != "" && rc.IsDelete():
		h.whipEnd(rc, r)
	default: // PATCH (trickle ICE, ICE restart) included: RFC 9725 section 4.3.1
		rc.Response.Header.Set(fasthttp.HeaderAllow, allow)
		writeError(rc, fasthttp.StatusMethodNotAllowed, codeMethod, "")
	}
}

func (h *Handler) whipOffer(rc *fasthttp.RequestCtx, name string) {
	if ct, _, err := mime.ParseMediaType(string(rc.Request.Header.ContentType())); err != nil || ct != typeSDP {
		writeError(rc, fasthttp.StatusUnsupportedMediaType, codeUnsupported, "the offer must be "+typeSDP)
		return
	}
	ctx, cancel := h.waitContext(whipTimeout)
	defer cancel()
	offer := bytes.Clone(rc.PostBody()) // rc's buffers do not outlive the handler
	creds := Credentials{
		Query:         string(rc.URI().QueryString()),
		Authorization: string(rc.Request.Header.Peek(fasthttp.HeaderAuthorization)),
	}
	ctx = context.WithValue(ctx, credentialsKey{}, creds)
	answer, id, err := h.whip.Offer(ctx, name, offer, rc.RemoteAddr())
	if err != nil {
		if errors.Is(err, ErrDenied) && !creds.presented(h.tokenQueryKey()) {
			rc.Response.Header.Set(fasthttp.HeaderWWWAuthenticate, "Bearer")
			writeError(rc, fasthttp.StatusUnauthorized, codeUnauthorized, "stream "+strconv.Quote(name)+" needs publish credentials")
			return
		}
		h.whipError(rc, name, err)
		return
	}
	rc.Response.Header.Set(fasthttp.HeaderLocation, "/"+name+"/"+whipPathElement+"/"+id)
	rc.Response.Header.Set(fasthttp.HeaderAccessControlExposeHeaders, "Location")
	rc.SetContentType(typeSDP)
	rc.SetStatusCode(fasthttp.StatusCreated)
	rc.SetBody(answer)
}

func (h *Handler) whipEnd(rc *fasthttp.RequestCtx, r whipRoute) {
	if err := h.whip.End(r.name, r.id); err != nil {
		h.whipError(rc, r.name, err)
		return
	}
	rc.SetStatusCode(fasthttp.StatusOK)
}

// whipError answers err in the Control API's error shape. The WHIP side
// logs refusals with their cause; unexpected errors are logged here.
func (h *Handler) whipError(rc *fasthttp.RequestCtx, name string, err error) {
	q := strconv.Quote(name)
	switch {
	case errors.Is(err, ErrBadOffer):
		writeError(rc, fasthttp.StatusBadRequest, codeBadOffer, err.Error())
	case errors.Is(err, ErrNoStream):
		writeError(rc, fasthttp.StatusNotFound, codeNotFound, "no stream "+q)
	case errors.Is(err, ErrNoSession):
		writeError(rc, fasthttp.StatusNotFound, codeNotFound, "no such WHIP session of stream "+q)
	case errors.Is(err, ErrDenied):
		writeError(rc, fasthttp.StatusForbidden, codeForbidden, "publishing to stream "+q+" is not allowed")
	case errors.Is(err, ErrNotPublishable):
		writeError(rc, fasthttp.StatusForbidden, codeForbidden, "stream "+q+" has no publish:// input")
	case errors.Is(err, ErrStreamDown):
		writeError(rc, fasthttp.StatusConflict, codeConflict, "stream "+q+" is not running")
	case errors.Is(err, ErrUnavailable):
		rc.Response.Header.Set(fasthttp.HeaderRetryAfter, retryAfter)
		writeError(rc, fasthttp.StatusServiceUnavailable, codeUnavailable, "publishing is unavailable: the server is stopping")
	default:
		h.log.Error("whip: offer failed", slog.String("stream", name), slog.Any("err", err))
		writeError(rc, fasthttp.StatusInternalServerError, codeInternal, "internal error")
	}
}

// whipPreflight answers a CORS preflight for a WHIP resource: the methods
// allow, the headers asked for (Content-Type, Authorization), and Location
// exposed so a page can end its session.
func whipPreflight(rc *fasthttp.RequestCtx, allow string) {
	hd := &rc.Response.Header
	hd.Set(fasthttp.HeaderAllow, allow)
	hd.Set(fasthttp.HeaderAccessControlAllowMethods, allow)
	if req := rc.Request.Header.Peek(fasthttp.HeaderAccessControlRequestHeaders); len(req) > 0 {
		hd.SetBytesV(fasthttp.HeaderAccessControlAllowHeaders, req)
	}
	hd.Set(fasthttp.HeaderAccessControlExposeHeaders, "Location")
	hd.Set(fasthttp.HeaderAccessControlMaxAge, strconv.Itoa(86400))
	rc.SetStatusCode(fasthttp.StatusNoContent)
}
