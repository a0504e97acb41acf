package gateway

import (
	"bytes"
	"io"

	"github.com/valyala/fasthttp"

	"streamhive/gateway/api"
)

// streamsBody reports whether rc's body is read as a stream by its
// handler: an HTTP MPEG-TS publisher's (POST /NAME/mpegts), which lasts
// as long as the publication.
func streamsBody(rc *fasthttp.RequestCtx) bool {
	return rc.IsPost() && bytes.HasSuffix(rc.Path(), []byte("/mpegts")) && !api.Match(rc.Path())
}

// boundBody reads a streamed request body whole, at most s.maxBody bytes,
// as the server read every body before it streamed them. It answers 413
// (a longer body) or 400 (a body that cannot be read) and returns false
// when the request must go no further.
func (s *Server) boundBody(rc *fasthttp.RequestCtx) bool {
	stream := rc.RequestBodyStream()
	if stream == nil {
		return true
	}
	b, err := io.ReadAll(io.LimitReader(stream, int64(s.maxBody)+1))
	switch {
	case err != nil:
		rc.SetConnectionClose()
		api.WriteError(rc, fasthttp.StatusBadRequest, "bad_request", "cannot read the request body")
		return false
	case len(b) > s.maxBody:
		s.log.Warn("request body over the limit", "path", string(rc.Path()), "remote", rc.RemoteAddr().String(), "limit", s.maxBody)
		rc.SetConnectionClose()
		api.WriteError(rc, fasthttp.StatusRequestEntityTooLarge, "payload_too_large", "request body is over the server's limit")
		return false
	}
	rc.Request.SetBodyRaw(b)
	return true
}
