package api

import (
	"fmt"
	"sync/atomic"
	"time"

	"github.com/VictoriaMetrics/metrics"
)

// Request metrics, by route pattern (never the raw path, whose names are
// unbounded), method and status:
//
//	streamhive_api_requests_total{route="/streams/{name}",method="GET",status="200"}
//	streamhive_api_request_duration_seconds_bucket{route="/streams/{name}",method="GET",le="0.005"}
//
// Each operation's handles are made once: the histogram with the route
// table, a counter the first time a status is seen (cold), then kept in a
// fixed array indexed by status, so the hot path is an index and an
// atomic add.

// opMetrics holds one operation's handles. Safe for concurrent use.
type opMetrics struct {
	labels   string // route="...",method="..."
	duration *metrics.PrometheusHistogram
	byStatus [600]atomic.Pointer[metrics.Counter]
}

func newOpMetrics(route, method string) *opMetrics {
	labels := fmt.Sprintf("route=%q,method=%q", route, method)
	return &opMetrics{
		labels:   labels,
		duration: metrics.NewPrometheusHistogram("streamhive_api_request_duration_seconds{" + labels + "}"),
	}
}

// observe counts one finished request.
func (m *opMetrics) observe(status int, start time.Time) {
	m.duration.UpdateDuration(start)
	if status < 100 || status >= len(m.byStatus) {
		status = 599
	}
	c := m.byStatus[status].Load()
	if c == nil {
		c = metrics.GetOrCreateCounter(fmt.Sprintf("streamhive_api_requests_total{%s,status=\"%d\"}", m.labels, status))
		m.byStatus[status].Store(c)
	}
	c.Inc()
}
