package dvr

import (
	"fmt"
	"io"
	"slices"

	"github.com/VictoriaMetrics/metrics"

	store "streamhive/media/dvr"
)

// storageMetrics are the Storage's series in /metrics, written at scrape
// time from the stores' and disks' state:
//
//	streamhive_dvr_depth_seconds{name="cam1"} 3600
//	streamhive_dvr_bytes{name="cam1"} 1.8e9
//	streamhive_dvr_segments_written_total{name="cam1"} 1800
//	streamhive_dvr_segments_skipped_total{name="cam1"} 0
//	streamhive_dvr_write_errors_total{name="cam1"} 0
//	streamhive_dvr_disk_ok{disk="/mnt/a"} 1
//	streamhive_dvr_disk_size_bytes{disk="/mnt/a"} 1e12
//	streamhive_dvr_disk_usage_percent{disk="/mnt/a"} 42
//	streamhive_dvr_disk_errors_total{disk="/mnt/a"} 0
type storageMetrics struct{ set *metrics.Set }

func newStorageMetrics(s *Storage) *storageMetrics {
	set := metrics.NewSet()
	set.RegisterMetricsWriter(func(w io.Writer) { writeMetrics(w, s) })
	metrics.RegisterSet(set)
	return &storageMetrics{set: set}
}

func (m *storageMetrics) close() {
	if m.set != nil {
		metrics.UnregisterSet(m.set, true)
		m.set = nil
	}
}

func writeMetrics(w io.Writer, s *Storage) {
	recs := s.snapshot()
	names := make([]string, 0, len(recs))
	for n := range recs {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		rec := recs[n]
		l := fmt.Sprintf("{name=%q}", n)
		info := rec.store.Info()
		metrics.WriteGaugeFloat64(w, "streamhive_dvr_depth_seconds"+l, info.Depth.Seconds())
		metrics.WriteGaugeUint64(w, "streamhive_dvr_bytes"+l, uint64(info.Bytes))
		metrics.WriteCounterUint64(w, "streamhive_dvr_segments_written_total"+l, rec.stats.written.Load())
		metrics.WriteCounterUint64(w, "streamhive_dvr_segments_skipped_total"+l, rec.stats.skipped.Load())
		metrics.WriteCounterUint64(w, "streamhive_dvr_write_errors_total"+l, rec.stats.errors.Load())
	}
	for _, d := range s.Disks() {
		l := fmt.Sprintf("{disk=%q}", d.Path)
		ok := uint64(0)
		if d.State == store.DiskOK {
			ok = 1
		}
		metrics.WriteGaugeUint64(w, "streamhive_dvr_disk_ok"+l, ok)
		metrics.WriteGaugeUint64(w, "streamhive_dvr_disk_size_bytes"+l, uint64(d.Size))
		metrics.WriteGaugeUint64(w, "streamhive_dvr_disk_usage_percent"+l, uint64(d.Usage))
		metrics.WriteCounterUint64(w, "streamhive_dvr_disk_errors_total"+l, uint64(d.Errors))
	}
}
