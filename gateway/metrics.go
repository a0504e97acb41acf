package gateway

import (
	"sync"

	"github.com/valyala/fasthttp"

	"streamhive/gateway/api"
	"streamhive/gateway/metrics"
)

// pages keeps the last pages' buffers: a page of 10,000 streams is a few
// megabytes, built again on every scrape.
var pages = sync.Pool{New: func() any { return new(metrics.Text) }}

// serveMetrics answers GET /metrics in the Prometheus text format
// (gateway/metrics: Flussonic's names beside ours, every family with its
// HELP and TYPE). The Handler has admitted the request first
// (api.AdmitRead: api_allowed_from, and view or edit credentials when
// configured).
func serveMetrics(rc *fasthttp.RequestCtx, src metrics.Source) {
	if !rc.IsGet() && !rc.IsHead() {
		rc.Response.Header.Set(fasthttp.HeaderAllow, "GET, HEAD")
		api.WriteError(rc, fasthttp.StatusMethodNotAllowed, "method_not_allowed", "")
		return
	}
	t := pages.Get().(*metrics.Text)
	defer pages.Put(t)
	t.Reset()
	metrics.Page(t, src)
	rc.SetContentType("text/plain; version=0.0.4; charset=utf-8")
	rc.SetBody(t.Bytes())
}
