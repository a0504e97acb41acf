package vod

import (
	"net/netip"
	"strconv"
	"strings"

	"github.com/valyala/fasthttp"

	"streamhive/actors/auth"
	"streamhive/actors/sessions"
)

// admit asks the Gate whether the viewer behind rc may have req, as the
// live paths do (gateway/play): the viewer's stream is LOCATION/PATH,
// its protocol as Flussonic's auth requests name it. Denied, it has
// answered (403, or 302 to the Gate's Location) and returns false. It
// sets req.query to what the URIs of a playlist or manifest carry: the
// session's query with a Gate, the request's own without.
func (h *Handler) admit(rc *fasthttp.RequestCtx, req *request) bool {
	if h.gate == nil {
		req.query = childQuery(string(rc.URI().QueryString()))
		return true
	}
	proto := protoOf(*req)
	ip, _ := netip.AddrFromSlice(rc.RemoteIP())
	v := sessions.Viewer{
		Stream: req.location + "/" + req.path, Proto: proto, IP: ip.Unmap(),
		Token: string(rc.QueryArgs().Peek(h.tokenQueryKey())), Query: string(rc.URI().QueryString()),
		UserAgent: string(rc.UserAgent()), Referer: string(rc.Referer()),
	}
	if proto == protoMPEGTS { // one response is the viewer's whole life
		v.Conn = rc.RemoteAddr().String() + "#" + strconv.FormatUint(rc.ID(), 10)
	}
	a := h.gate.Admit(rc, v)
	switch {
	case a.Verdict == auth.Allow && a.Ticket != nil:
		req.grant = sessions.Held{Ticket: a.Ticket}
		req.query = childQuery(a.ChildQuery)
		return true
	case a.Verdict == auth.Redirect && a.Location != "":
		rc.Response.Header.Set(fasthttp.HeaderCacheControl, "no-cache")
		rc.Response.Header.Set(fasthttp.HeaderLocation, a.Location)
		rc.SetStatusCode(fasthttp.StatusFound)
	default: // Deny, and anything the Gate got wrong: fail closed
		h.deny(rc, "access to file denied")
	}
	return false
}

func (h *Handler) tokenQueryKey() string {
	if h.tokenKey != nil {
		if k := h.tokenKey(); k != "" {
			return k
		}
	}
	return auth.DefaultTokenKey
}

// Protocol names of auth requests for VOD URLs.
const (
	protoHLS    = "hls"
	protoDASH   = "dash"
	protoMPEGTS = "mpegts"
	protoMP4    = "mp4"
	protoJPEG   = "jpeg"
)

// protoOf names the protocol of req. fMP4 segments and inits serve both
// HLS and DASH under one name: they count as hls.
func protoOf(req request) string {
	switch rest := req.rest; {
	case rest == "":
		return protoMP4
	case rest == "mpegts":
		return protoMPEGTS
	case strings.HasSuffix(rest, ".mpd"):
		return protoDASH
	case strings.HasSuffix(rest, ".jpg"):
		return protoJPEG
	}
	return protoHLS
}

// childQuery is "?Q" with every byte a playlist's URI or an MPD's
// attribute must not carry raw percent-encoded; "" for no query.
func childQuery(q string) string {
	if q == "" {
		return ""
	}
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	b.WriteByte('?')
	for i := 0; i < len(q); i++ {
		c := q[i]
		if safeQueryByte(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

func safeQueryByte(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("-._~!$()*+,;=:@/%?&", c) >= 0
}
