package chaos

import (
	"time"
)

// FrameDuration is the publishers' frame interval (25 fps clips).
const FrameDuration = 40 * time.Millisecond

// Measure is what a viewer experienced around a fault.
type Measure struct {
	Segments int // segments that appeared within the window
	// WallGap is the longest wait between two new segments (within the
	// window): a player with a short buffer stalls for WallGap minus
	// the segment duration.
	WallGap time.Duration
	// MediaGap is the largest step between consecutive video frames'
	// presentation times beyond one frame: a hole in the output timeline.
	MediaGap time.Duration
	// Stall is how far the output fell behind the wall clock: the
	// largest growth of a segment's lag (when it appeared minus the
	// media time it ends at) over the lag before the fault. It is the
	// time during which no media reached the viewer, to within one poll.
	Stall time.Duration
	// FramesLost is how much media never reached the viewer, in frames:
	// the growth of the lag from before the fault to the end of the
	// window, plus the frames of skipped segments.
	FramesLost int
	Reloads    []Event
	// Discontinuities counts EXT-X-DISCONTINUITY tags within the window.
	Discontinuities int
}

// stallNoise is the largest step in lag that the viewer's polling alone
// explains (two polls of 100 ms): steps above it are outages.
const stallNoise = 150 * time.Millisecond

// Measure analyses the segments that appeared between fault and end.
// Lag is compared between consecutive segments, so the slow drift of a
// publisher's -re pacing does not count as a stall; the segments of the
// viewer's first playlist are not used (when they appeared is unknown).
func (v *Viewer) Measure(fault, end time.Time) Measure {
	segs := v.Segments()
	var m Measure
	var prev *Segment
	var prevLag, prevFrame time.Duration
	havePrevFrame := false
	for i := range segs {
		s := &segs[i]
		if s.Appeared.After(end) {
			break
		}
		if len(s.Times) == 0 || s.Appeared.Equal(segs[0].Appeared) {
			continue
		}
		// Lags are compared, never read alone: any common epoch will do.
		lag := s.Appeared.Sub(segs[0].Appeared) - (s.Times[len(s.Times)-1] + FrameDuration)
		if !s.Appeared.Before(fault) {
			m.Segments++
			if s.Discontinuity {
				m.Discontinuities++
			}
			if prev != nil {
				m.WallGap = max(m.WallGap, s.Appeared.Sub(prev.Appeared))
				if step := lag - prevLag; step > stallNoise {
					m.Stall = max(m.Stall, step)
					m.FramesLost += int((step + FrameDuration/2) / FrameDuration)
				}
			}
			for _, t := range s.Times {
				if havePrevFrame {
					m.MediaGap = max(m.MediaGap, t-prevFrame-FrameDuration)
				}
				prevFrame, havePrevFrame = t, true
			}
		} else {
			prevFrame, havePrevFrame = s.Times[len(s.Times)-1], true
		}
		prev, prevLag = s, lag
	}
	m.FramesLost += v.Skipped() * 25
	for _, e := range v.Reloads() {
		if !e.At.Before(fault) && !e.At.After(end) {
			m.Reloads = append(m.Reloads, e)
		}
	}
	return m
}
