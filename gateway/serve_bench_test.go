package gateway

import (
	"testing"

	"github.com/valyala/fasthttp"

	"streamhive/gateway/api/apitest"
)

// BenchmarkServerPlay is the gateway's own cost around a playback answer:
// routing past the API and the peer endpoints, body bounds, panic recovery
// and the access log (off at the default level). It allocates nothing.
func BenchmarkServerPlay(b *testing.B) {
	segment := make([]byte, 2<<20)
	s := New(Config{Control: apitest.New(nil), Play: func(rc *fasthttp.RequestCtx) { rc.Response.SetBodyRaw(segment) }})
	var rc fasthttp.RequestCtx
	rc.Request.SetRequestURI("/live/b/seg-3.ts")
	b.ReportAllocs()
	for b.Loop() {
		rc.Response.Reset()
		s.Handler(&rc)
	}
	if rc.Response.StatusCode() != fasthttp.StatusOK || len(rc.Response.Body()) != len(segment) {
		b.Fatalf("status %d, %d bytes", rc.Response.StatusCode(), len(rc.Response.Body()))
	}
}
