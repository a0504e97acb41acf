package segment

import (
	"testing"
	"time"
)

// TestCatchesUpWithTheWallClock: a failover keeps the output timeline
// continuous, so an outage leaves it behind the wall clock. A short one is
// ridden through; past maxLag the next segment starts a discontinuity at
// the wall clock's time, so that program date times (and the DVR's
// wall-clock archive) stay true.
func TestCatchesUpWithTheWallClock(t *testing.T) {
	clip := loadClip(t)
	for _, c := range []struct {
		outage   time.Duration
		wantDisc bool
	}{
		{3 * time.Second, false},
		{30 * time.Second, true},
	} {
		t.Run(c.outage.String(), func(t *testing.T) {
			var now time.Time
			var finished []*Segment
			started := map[uint64]time.Time{} // MSN: the wall clock of its first frame
			s := New(Config{Now: func() time.Time { return now }, OnSegment: func(seg *Segment) {
				finished = append(finished, seg)
				started[seg.MSN+1] = now // the next segment's keyframe finished this one
			}})
			if err := s.SetTracks(clip.Tracks); err != nil {
				t.Fatal(err)
			}
			for _, f := range clip.Loop(12 * time.Second) {
				now = t0.Add(f.DTS) // frames arrive in real time...
				if f.DTS >= 6*time.Second {
					now = now.Add(c.outage) // ...after an outage that the input's timestamps do not show
				}
				s.WriteFrame(f)
			}
			var discs int
			for i, seg := range finished {
				if seg.Discontinuity {
					discs++
				}
				if i == 0 {
					continue
				}
				prev := finished[i-1]
				if !seg.Discontinuity && seg.DTS != prev.DTS+prev.Duration {
					t.Errorf("segment %d starts at %v, the previous ends at %v", seg.MSN, seg.DTS, prev.DTS+prev.Duration)
				}
			}
			last := finished[len(finished)-1]
			lag := started[last.MSN].Sub(last.ProgramDateTime) // how far its PDT is behind the clock
			switch {
			case c.wantDisc && (discs != 1 || lag.Abs() > 100*time.Millisecond):
				t.Errorf("%d discontinuities, last PDT %v behind the clock; want 1 and the clock", discs, lag)
			case !c.wantDisc && (discs != 0 || (lag-c.outage).Abs() > 100*time.Millisecond):
				t.Errorf("%d discontinuities, last PDT %v behind the clock; want none and the outage's %v", discs, lag, c.outage)
			}
		})
	}
}
