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
//	streamhive_dvr_disk_written_bytes_total{disk="/mnt/a"} 5e9
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

// writeMetrics writes each family once, all recordings or disks under it
// (the text format wants a family's samples together).
func writeMetrics(w io.Writer, s *Storage) {
	recs := s.snapshot()
	names := make([]string, 0, len(recs))
	for n := range recs {
		names = append(names, n)
	}
	slices.Sort(names)
	labels := make([]string, len(names))
	infos := make([]store.Info, len(names))
	for i, n := range names {
		labels[i] = fmt.Sprintf("{name=%q}", n)
		infos[i] = recs[n].store.Info()
	}
	family(w, "streamhive_dvr_depth_seconds", "gauge", "Seconds from the archive's first record's start to its last one's end.")
	for i := range names {
		_, _ = fmt.Fprintf(w, "streamhive_dvr_depth_seconds%s %g\n", labels[i], infos[i].Depth.Seconds())
	}
	family(w, "streamhive_dvr_bytes", "gauge", "Bytes the stream's archive holds on disk.")
	for i := range names {
		sample(w, "streamhive_dvr_bytes"+labels[i], uint64(infos[i].Bytes))
	}
	for _, c := range []struct {
		name, help string
		v          func(*counters) uint64
	}{
		{"streamhive_dvr_segments_written_total", "Segments the stream's DVR writer recorded.", func(c *counters) uint64 { return c.written.Load() }},
		{
			"streamhive_dvr_segments_skipped_total", "Segments not recorded: the writer fell behind, or a backup input fed them.",
			func(c *counters) uint64 { return c.skipped.Load() },
		},
		{"streamhive_dvr_write_errors_total", "Segments the stream's DVR writer failed to write.", func(c *counters) uint64 { return c.errors.Load() }},
	} {
		family(w, c.name, "counter", c.help)
		for i, n := range names {
			sample(w, c.name+labels[i], c.v(&recs[n].stats))
		}
	}
	writeDiskMetrics(w, s.Disks())
}

func writeDiskMetrics(w io.Writer, disks []store.DiskStatus) {
	for _, f := range []struct {
		name, typ, help string
		v               func(*store.DiskStatus) uint64
	}{
		{
			"streamhive_dvr_disk_ok", "gauge", "1 while the DVR disk takes writes, else 0 (full or failing).",
			func(d *store.DiskStatus) uint64 { return b2u(d.State == store.DiskOK) },
		},
		{"streamhive_dvr_disk_size_bytes", "gauge", "Size of the DVR disk's filesystem.", func(d *store.DiskStatus) uint64 { return uint64(d.Size) }},
		{"streamhive_dvr_disk_usage_percent", "gauge", "Percent of the DVR disk's filesystem in use.", func(d *store.DiskStatus) uint64 { return uint64(d.Usage) }},
		{"streamhive_dvr_disk_errors_total", "counter", "Failed writes to the DVR disk.", func(d *store.DiskStatus) uint64 { return uint64(d.Errors) }},
		{
			"streamhive_dvr_disk_written_bytes_total", "counter", "Bytes written to the DVR disk: its write speed is the rate of this.",
			func(d *store.DiskStatus) uint64 { return uint64(d.Bytes) },
		},
	} {
		family(w, f.name, f.typ, f.help)
		for i := range disks {
			sample(w, f.name+fmt.Sprintf("{disk=%q}", disks[i].Path), f.v(&disks[i]))
		}
	}
}

func family(w io.Writer, name, typ, help string) {
	_, _ = fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, typ)
}

// sample writes one line; the library's Write* helpers would add HELP and
// TYPE lines of their own to every sample.
func sample(w io.Writer, series string, v uint64) { _, _ = fmt.Fprintf(w, "%s %d\n", series, v) }

func b2u(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}
