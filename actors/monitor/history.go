package monitor

import (
	"math"
	"time"
)

// Minutes is how many minutes a History keeps: 24 hours.
const Minutes = 24 * 60

// HistoryBytes is what one input's History holds in memory: a kbit/s
// (uint32) and an error count (uint16) per minute, 6 bytes a minute,
// 8,640 bytes for 24 hours, and 16 of head (8,656 in all).
const HistoryBytes = Minutes*(4+2) + 16

// History is one input's last 24 hours, a slot per minute in a ring: the
// bitrate averaged over the minute's samples and the errors counted in
// it. A minute without a sample (the input was not configured, or the
// server not running) reads as absent. Not safe for concurrent use.
type History struct {
	head  int64 // the unix minute of the newest slot; 0 before the first Add
	kbps  [Minutes]uint32
	errs  [Minutes]uint16
	count uint32 // samples averaged into the head slot's kbps
}

// Add records one sample taken at t: bitrate in bits per second and the
// errors since the previous sample. Samples of one minute average their
// bitrates and sum their errors; a sample older than the head is dropped.
// kbps is stored plus one, so that 0 means "no sample".
func (h *History) Add(t time.Time, bitrate int, errs int64) {
	m := t.Unix() / 60
	switch {
	case h.head == 0 || m > h.head:
		h.advance(m)
		h.count = 0
	case m < h.head:
		return
	}
	i := m % Minutes
	k := uint64(max(bitrate, 0) / 1000)
	if h.count > 0 {
		k = (uint64(h.kbps[i]-1)*uint64(h.count) + k) / uint64(h.count+1)
	}
	h.kbps[i] = uint32(min(k, math.MaxUint32-1)) + 1
	h.count++
	h.errs[i] = uint16(min(int64(h.errs[i])+max(errs, 0), math.MaxUint16))
}

// advance moves the head to minute m, clearing the minutes in between.
func (h *History) advance(m int64) {
	from := h.head + 1
	if h.head == 0 || m-from >= Minutes {
		from = m - Minutes + 1
	}
	for x := from; x <= m; x++ {
		h.kbps[x%Minutes], h.errs[x%Minutes] = 0, 0
	}
	h.head = m
}

// Point is one minute of a History.
type Point struct {
	Minute  int64 `json:"minute"`  // unix time of the minute's start, seconds
	Bitrate *int  `json:"bitrate"` // bits per second; null: no sample that minute
	Errors  int   `json:"errors"`
}

// Points returns the minutes from now-24h to now, oldest first (1440
// points; the minutes before the first sample read as absent).
func (h *History) Points(now time.Time) []Point {
	end := now.Unix() / 60
	out := make([]Point, 0, Minutes)
	for m := end - Minutes + 1; m <= end; m++ {
		p := Point{Minute: m * 60}
		if h.head != 0 && m <= h.head && m > h.head-Minutes {
			i := m % Minutes
			if k := h.kbps[i]; k > 0 {
				b := int(k-1) * 1000
				p.Bitrate = &b
			}
			p.Errors = int(h.errs[i])
		}
		out = append(out, p)
	}
	return out
}
