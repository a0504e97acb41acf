package api

import (
	"streamhive/media/dvr"
	"streamhive/media/stats"
)

// DVRInfo is dvr_info: a stream's archive as its stats show it.
type DVRInfo struct {
	From     int64      `json:"from"`     // utc seconds of the first record; 0 when empty
	Depth    int64      `json:"depth"`    // seconds from the first record's start to the last one's end
	Duration int64      `json:"duration"` // seconds recorded (depth less the gaps)
	Bytes    int64      `json:"bytes"`
	DiskSize int64      `json:"disk_size,omitempty"` // bytes of the (first) disk it is recorded on
	Ranges   []DVRRange `json:"ranges"`
	// DiskStatus is the worst state of the disks the archive is written
	// to: ok, full or error (ours; the Flussonic API has no counterpart).
	DiskStatus string `json:"disk_status,omitempty"`
}

// DVRRange is dvr_range: a stretch of uninterrupted recording.
type DVRRange struct {
	From     int64 `json:"from"`     // utc seconds
	Duration int64 `json:"duration"` // seconds
}

// DVRDiskStats is raid_disk_stats: one DVR root's runtime state, with our
// own state, free space and error counters beside the spec's fields.
type DVRDiskStats struct {
	Disk      string `json:"disk,omitempty"`
	Path      string `json:"path"`
	Mounted   bool   `json:"mounted"`
	Size      int64  `json:"size,omitempty"`  // bytes
	Usage     int    `json:"usage"`           // percent
	Free      int64  `json:"free,omitempty"`  // bytes available (ours)
	State     string `json:"state,omitempty"` // ok, full, error (ours)
	Errors    int64  `json:"errors"`          // failed writes (ours)
	LastError string `json:"last_error,omitempty"`
}

// dvrInfoOf maps an archive's report to dvr_info; nil for nil.
func dvrInfoOf(d *stats.DVR) *DVRInfo {
	if d == nil {
		return nil
	}
	out := &DVRInfo{
		Depth: int64(d.Depth.Seconds()), Duration: int64(d.Duration.Seconds()), Bytes: d.Bytes,
		DiskSize: d.DiskSize, Ranges: make([]DVRRange, len(d.Ranges)), DiskStatus: d.Disk,
	}
	if !d.From.IsZero() {
		out.From = d.From.Unix()
	}
	for i, r := range d.Ranges {
		out.Ranges[i] = DVRRange{From: r.From.Unix(), Duration: int64(r.Duration.Seconds())}
	}
	return out
}

// diskStatsOf maps one DVR root's state to raid_disk_stats.
func diskStatsOf(d dvr.DiskStatus) DVRDiskStats {
	return DVRDiskStats{
		Disk: d.Path, Path: d.Path, Mounted: d.Size > 0, Size: d.Size, Usage: d.Usage, Free: d.Free,
		State: d.State, Errors: d.Errors, LastError: d.LastError,
	}
}
