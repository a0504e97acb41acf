package events

import (
	"fmt"
	"io"

	"github.com/VictoriaMetrics/metrics"
)

// busMetrics are the bus's series in /metrics, registered while it runs
// (New to Close). The writer runs on the scraper's goroutine:
//
//	streamhive_event_sink_delivered_total{sink="hook"} 12
//	streamhive_event_sink_dropped_total{sink="hook"} 0
//	streamhive_event_sink_failures_total{sink="hook"} 1
//	streamhive_event_sink_queued{sink="hook"} 0
//
// Labels carry the sink's name, never its URL (it may hold credentials).
func (b *Bus) registerMetrics() *metrics.Set {
	set := metrics.NewSet()
	set.RegisterMetricsWriter(func(w io.Writer) {
		for _, s := range b.Sinks() {
			l := fmt.Sprintf("{sink=%q}", s.Name)
			metrics.WriteCounterUint64(w, "streamhive_event_sink_delivered_total"+l, s.Delivered)
			metrics.WriteCounterUint64(w, "streamhive_event_sink_dropped_total"+l, s.Dropped)
			metrics.WriteCounterUint64(w, "streamhive_event_sink_failures_total"+l, s.Failures)
			metrics.WriteGaugeUint64(w, "streamhive_event_sink_queued"+l, uint64(s.Queued))
		}
	})
	metrics.RegisterSet(set)
	return set
}
