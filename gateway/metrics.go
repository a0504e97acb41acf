package gateway

import (
	"github.com/VictoriaMetrics/metrics"
	"github.com/valyala/fasthttp"

	"streamhive/gateway/api"
)

// serveMetrics answers GET /metrics in the Prometheus text format: every
// metric of the process's default set (the API's request counters and
// durations, what the actors register), plus Go runtime and process
// metrics. The Handler has admitted the request first (api.AdmitRead:
// api_allowed_from, and view or edit credentials when configured).
func serveMetrics(rc *fasthttp.RequestCtx) {
	if !rc.IsGet() && !rc.IsHead() {
		rc.Response.Header.Set(fasthttp.HeaderAllow, "GET, HEAD")
		api.WriteError(rc, fasthttp.StatusMethodNotAllowed, "method_not_allowed", "")
		return
	}
	rc.SetContentType("text/plain; version=0.0.4; charset=utf-8")
	metrics.WritePrometheus(rc, true)
}
