package stats

import "time"

// DVR is a stream's archive.
type DVR struct {
	From     time.Time     // start of the first record; the zero time when empty
	Depth    time.Duration // from the first record's start to the last one's end
	Duration time.Duration // recorded: Depth less the gaps
	Bytes    int64
	Ranges   []DVRRange
	DiskSize int64  // bytes of the (first) disk it is recorded on
	Disk     string // the worst state of its disks: ok, full or error (media/dvr's)
}

// DVRRange is a stretch of uninterrupted recording.
type DVRRange struct {
	From     time.Time
	Duration time.Duration
}
