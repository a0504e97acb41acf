package play

import (
	"net/netip"
	"strconv"

	"github.com/valyala/fasthttp"

	"streamhive/actors/auth"
	"streamhive/actors/sessions"
)

// grant is what the session gate let one request do: the session to
// report bytes to (none without a Gate) and the query the URIs of a
// playlist or manifest carry (Admission.ChildQuery, as the Gate gave it).
type grant struct {
	sessions.Held
	query string
}

// m3u8 is the query to splice into a playlist's URIs; xml into an MPD's.
// Made when asked: a segment request needs neither.
func (g grant) m3u8() string { return childQuery(g.query, false) }
func (g grant) xml() string  { return childQuery(g.query, true) }

// admit asks the Gate whether the viewer behind rc may have r of stream.
// When it may not, it has answered (403, or 302 to the Location the
// Gate gave) and returns false. Without a Gate everyone may.
func (h *Handler) admit(rc *fasthttp.RequestCtx, r route) (grant, bool) {
	if h.gate == nil {
		return grant{}, true
	}
	a := h.gate.Admit(h.ctx, h.viewerOf(rc, r))
	switch {
	case a.Verdict == auth.Allow && a.Ticket != nil:
		return grant{Held: sessions.Held{Ticket: a.Ticket}, query: a.ChildQuery}, true
	case a.Verdict == auth.Redirect && a.Location != "":
		// As the backend said it: fasthttp's Redirect would rewrite it.
		rc.Response.Header.Set(fasthttp.HeaderCacheControl, cacheNone)
		rc.Response.Header.Set(fasthttp.HeaderLocation, a.Location)
		rc.SetStatusCode(fasthttp.StatusFound)
	default: // Deny, and anything the Gate got wrong: fail closed
		writeError(rc, fasthttp.StatusForbidden, codeForbidden, "access to stream denied")
	}
	return grant{}, false
}

// tokenQueryKey is the query key of a viewer's (or WHIP publisher's)
// token under the running configuration.
func (h *Handler) tokenQueryKey() string {
	if h.tokenKey != nil {
		if k := h.tokenKey(); k != "" {
			return k
		}
	}
	return auth.DefaultTokenKey
}

// viewerOf describes the request to the Gate. The address is the
// connection's: no proxy header is trusted.
func (h *Handler) viewerOf(rc *fasthttp.RequestCtx, r route) sessions.Viewer {
	ip, _ := netip.AddrFromSlice(rc.RemoteIP())
	return sessions.Viewer{
		Stream:    r.name,
		Proto:     authProto(r),
		IP:        ip.Unmap(),
		Token:     string(rc.QueryArgs().Peek(h.tokenQueryKey())),
		Query:     string(rc.URI().QueryString()),
		UserAgent: string(rc.UserAgent()),
		Referer:   string(rc.Referer()),
		DVR:       r.kind == kindArchive,
		Conn:      connOf(rc, authProto(r)),
	}
}

// connOf names the viewer's connection for the outputs whose one response
// (or WebSocket) is a viewer's whole life: continuous MPEG-TS and MSE-LD.
// Each such response is its own session, so two players behind one
// address without a token are two viewers, and one leaving does not end
// the other. HLS and DASH sessions span many requests and connections:
// none.
func connOf(rc *fasthttp.RequestCtx, proto string) string {
	if proto != protoMPEGTS && proto != protoMSELDAuth {
		return ""
	}
	return rc.RemoteAddr().String() + "#" + strconv.FormatUint(rc.ID(), 10)
}

// Protocol names of auth requests that differ from the `protocols` name
// of the output (Flussonic's auth request names HTTP MPEG-TS "mpegts").
const protoMPEGTS = "mpegts"

// authProto is the protocol an auth request names for r: hls for every
// HLS and LL-HLS playlist, part and segment, dash for the manifests and
// the segments and inits by their DASH names (dash-..., dvr-dash-init-...,
// the archive's $Time$ fragments), mpegts for continuous and archived
// MPEG-TS, mse_ld for MSE-LD, mp4, jpeg, and api for
// recording_status.json.
func authProto(r route) string {
	switch p, _ := r.protocol(); p {
	case ProtoTSHTTP:
		return protoMPEGTS
	case ProtoMSELD:
		return protoMSELDAuth
	default:
		return p
	}
}
