package vod

import (
	"fmt"
	"time"

	"streamhive/media/segment"
)

// cutHorizon is a segmenter target no segment of a file reaches: the
// segmenter never cuts by itself, Close ends the one segment.
const cutHorizon = 1000 * time.Hour

// Cut makes segment k: every track's samples from the segment's start to
// the next one's, muxed once as MPEG-TS and as CMAF per track by the live
// path's segmenter, at their time in the file. Each call cuts afresh; the
// Cache keeps what was cut.
func (a *Asset) Cut(k int) (*segment.Segment, error) {
	if k < 0 || k >= a.Segments() {
		return nil, fmt.Errorf("%w: %d of %d", ErrNoSegment, k, a.Segments())
	}
	var out *segment.Segment
	seg := segment.New(segment.Config{
		SegmentDuration: cutHorizon,
		WindowSegments:  1,
		KeepTimeline:    true,
		OnSegment:       func(s *segment.Segment) { out = s },
	})
	if err := seg.SetTracks(a.movie.Tracks); err != nil {
		return nil, err
	}
	from, to := a.cuts[k], a.cuts[k+1]
	next := make([]int, len(a.movie.Tracks))
	for id := range next {
		next[id] = a.first(id, from)
	}
	for {
		id := a.earliest(next, to)
		if id < 0 {
			break
		}
		f, err := a.movie.Frame(id, next[id])
		if err != nil {
			return nil, fmt.Errorf("vod: segment %d: %w", k, err)
		}
		next[id]++
		seg.WriteFrame(f)
	}
	seg.Close()
	if out == nil {
		return nil, fmt.Errorf("%w: segment %d holds no frame", ErrCorrupt, k)
	}
	return out, nil
}

// earliest returns the track whose next sample (before to) decodes first,
// or -1 when none is left.
func (a *Asset) earliest(next []int, to time.Duration) int {
	pick := -1
	var at time.Duration
	for id, i := range next {
		if i >= len(a.movie.Table(id).Samples) {
			continue
		}
		if d := a.movie.Time(id, i); d < to && (pick < 0 || d < at) {
			pick, at = id, d
		}
	}
	return pick
}
