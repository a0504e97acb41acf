package play

import (
	"encoding/json"

	"github.com/valyala/fasthttp"

	"streamhive/media/dvr"
)

// recordingStatus is Flussonic's dvr_info, as recording_status.json
// answers it: times in Unix seconds, durations in seconds.
type recordingStatus struct {
	From     int64         `json:"from"`
	Depth    int64         `json:"depth"`
	Duration int64         `json:"duration"`
	Ranges   []statusRange `json:"ranges"`
}

// statusRange is a dvr_range.
type statusRange struct {
	From     int64 `json:"from"`
	Duration int64 `json:"duration"`
}

// serveRecordingStatus answers recording_status.json: the archive's ranges,
// its depth (first start to last end) and its recorded duration (the
// ranges' sum, less the gaps). An archive with nothing yet is all zeros.
func serveRecordingStatus(rc *fasthttp.RequestCtx, a dvr.Archive) {
	b, _ := json.Marshal(statusOf(a.Ranges())) // plain integers: cannot fail
	writeBody(rc, "application/json", cacheNone, b)
}

// statusOf summarises ranges (oldest first).
func statusOf(ranges []dvr.Range) recordingStatus {
	s := recordingStatus{Ranges: make([]statusRange, 0, len(ranges))}
	for _, r := range ranges {
		s.Ranges = append(s.Ranges, statusRange{From: r.From.Unix(), Duration: int64(r.Duration.Seconds())})
		s.Duration += int64(r.Duration.Seconds())
	}
	if n := len(ranges); n > 0 {
		s.From = ranges[0].From.Unix()
		s.Depth = int64(ranges[n-1].From.Add(ranges[n-1].Duration).Sub(ranges[0].From).Seconds())
	}
	return s
}
