package push

import (
	"fmt"
	"io"

	"github.com/VictoriaMetrics/metrics"

	"streamhive/media"
)

// targetMetrics are one target's series in /metrics, registered while its
// actor runs. The writer runs on the scraper's goroutine and reads only
// the Stats atomics:
//
//	streamhive_push_bytes_total{name="cam1",id="cam1/2"} 1234567
//	streamhive_push_up{name="cam1",id="cam1/2"} 1
//
// Labels carry the target's id, not its URL: push URLs hold stream keys
// and passphrases.
type targetMetrics struct{ set *metrics.Set }

func newTargetMetrics(name media.StreamName, s *Stats) targetMetrics {
	set := metrics.NewSet()
	labels := fmt.Sprintf("{name=%q,id=%q}", string(name), s.ID)
	set.RegisterMetricsWriter(func(w io.Writer) {
		metrics.WriteCounterUint64(w, "streamhive_push_bytes_total"+labels, s.Bytes.Load())
		metrics.WriteCounterUint64(w, "streamhive_push_errors_total"+labels, s.Errors.Load())
		metrics.WriteCounterUint64(w, "streamhive_push_reconnects_total"+labels, s.Reconnects.Load())
		metrics.WriteGaugeUint64(w, "streamhive_push_retries"+labels, s.Retries.Load())
		up := uint64(0)
		if s.State() == StateRunning {
			up = 1
		}
		metrics.WriteGaugeUint64(w, "streamhive_push_up"+labels, up)
	})
	metrics.RegisterSet(set)
	return targetMetrics{set: set}
}

// close unregisters the series; a no-op on the zero value.
func (m *targetMetrics) close() {
	if m.set != nil {
		metrics.UnregisterSet(m.set, true)
		m.set = nil
	}
}
