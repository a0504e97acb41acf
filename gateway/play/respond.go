package play

import (
	"github.com/valyala/fasthttp"

	"streamhive/gateway/api"
)

// Content types.
const (
	typeM3U8    = "application/vnd.apple.mpegurl"
	typeMPD     = "application/dash+xml"
	typeTS      = "video/mp2t"
	typeSegment = "video/iso.segment" // CMAF media segment (ISO/IEC 23000-19 registers it)
	typeVideoMP = "video/mp4"         // init segment of a video track
	typeAudioMP = "audio/mp4"         // init segment of an audio track
	typeJPEG    = "image/jpeg"
)

// Cache-Control values. Playlists change with every part; segments never
// change once published, but their names restart with a new segmenter (a
// server restart), so shared caches keep them for a minute, several times
// any window a player reads from.
const (
	cacheNone    = "no-cache"
	cacheSegment = "public, max-age=60"
)

// retryAfter is what a 503 tells a player to wait, in seconds: about the
// time a starting input needs to produce its next part.
const retryAfter = "1"

// Error codes of error_response.
const (
	codeNotFound  = "not_found"
	codeDisabled  = "protocol_disabled"
	codeNotReady  = "not_ready"
	codeBadReload = "bad_request"
	codeInternal  = "internal"
	codeMethod    = "method_not_allowed"
)

// setCORS lets browser players on any origin read every answer.
func setCORS(rc *fasthttp.RequestCtx) {
	rc.Response.Header.Set(fasthttp.HeaderAccessControlAllowOrigin, "*")
}

// preflight answers a CORS preflight (OPTIONS).
func preflight(rc *fasthttp.RequestCtx) {
	h := &rc.Response.Header
	h.Set(fasthttp.HeaderAccessControlAllowMethods, "GET, HEAD, OPTIONS")
	if req := rc.Request.Header.Peek(fasthttp.HeaderAccessControlRequestHeaders); len(req) > 0 {
		h.SetBytesV(fasthttp.HeaderAccessControlAllowHeaders, req)
	}
	h.Set(fasthttp.HeaderAccessControlMaxAge, "86400")
	rc.SetStatusCode(fasthttp.StatusNoContent)
}

// writeBody answers 200 with b, which is not copied: b must stay unchanged
// forever (a segment, a cached rendering).
func writeBody(rc *fasthttp.RequestCtx, contentType, cache string, b []byte) {
	rc.SetStatusCode(fasthttp.StatusOK)
	rc.SetContentType(contentType)
	rc.Response.Header.Set(fasthttp.HeaderCacheControl, cache)
	rc.Response.SetBodyRaw(b)
}

// writeError answers in the Control API's error_response shape.
func writeError(rc *fasthttp.RequestCtx, status int, code, title string) {
	rc.Response.Header.Set(fasthttp.HeaderCacheControl, cacheNone)
	api.WriteError(rc, status, code, title)
}

// writeNotReady answers 503 with Retry-After: the stream has nothing to
// show yet, and a retry soon may succeed.
func writeNotReady(rc *fasthttp.RequestCtx, title string) {
	rc.Response.Header.Set(fasthttp.HeaderRetryAfter, retryAfter)
	writeError(rc, fasthttp.StatusServiceUnavailable, codeNotReady, title)
}
