package segment

import (
	"testing"
	"time"

	"streamhive/media"
)

// TestResyncsAfterAnInputSwitch: another input with the same codecs takes
// over after a pause (the feed continues the timeline, so the segmenter
// sees SetTracks with unchanged parameters and no timestamp jump). A pause
// longer than a segment moves the program date time to the wall clock and
// marks the first segment of the new input Resync, with no discontinuity
// for players; a shorter one is ridden through as before (the output stays
// behind the clock by the pause).
func TestResyncsAfterAnInputSwitch(t *testing.T) {
	clip := loadClip(t)
	lead := -1
	for _, tr := range clip.Tracks {
		if lead < 0 && tr.Codec.Kind() == media.KindVideo {
			lead = tr.ID
		}
	}
	const switchAt = 6 * time.Second
	for _, c := range []struct {
		pause      time.Duration
		wantResync bool
	}{
		{3 * time.Second, true},
		{time.Second, false},
	} {
		t.Run(c.pause.String(), func(t *testing.T) {
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
			switched, origin := false, time.Duration(-1)
			var switchDTS time.Duration // on the output timeline
			for _, f := range clip.Loop(14 * time.Second) {
				if origin < 0 && f.Track == lead && f.Keyframe {
					origin = f.DTS // the output timeline's 0
				}
				if !switched && f.Track == lead && f.Keyframe && f.DTS >= switchAt {
					// The new input's first keyframe: the hub's tracks
					// change version, the packager hands them over again.
					if err := s.SetTracks(clip.Tracks); err != nil {
						t.Fatal(err)
					}
					switched, switchDTS = true, f.DTS-origin
				}
				now = t0.Add(f.DTS)
				if switched {
					now = now.Add(c.pause)
				}
				s.WriteFrame(f)
			}
			var resynced []*Segment
			for i, seg := range finished {
				if seg.Discontinuity {
					t.Errorf("segment %d is a discontinuity; the timeline runs on", seg.MSN)
				}
				if seg.Resync {
					resynced = append(resynced, seg)
				}
				if i > 0 && seg.DTS != finished[i-1].DTS+finished[i-1].Duration {
					t.Errorf("segment %d starts at %v, the previous ends at %v", seg.MSN, seg.DTS, finished[i-1].DTS+finished[i-1].Duration)
				}
			}
			last := finished[len(finished)-1]
			lag := started[last.MSN].Sub(last.ProgramDateTime)
			if !c.wantResync {
				if len(resynced) != 0 || (lag-c.pause).Abs() > 100*time.Millisecond {
					t.Errorf("%d segments resynced, last PDT %v behind the clock; want none and the pause's %v", len(resynced), lag, c.pause)
				}
				return
			}
			if len(resynced) != 1 || lag.Abs() > 100*time.Millisecond {
				t.Fatalf("%d segments resynced, last PDT %v behind the clock; want 1 and the clock", len(resynced), lag)
			}
			r := resynced[0]
			if r.DTS != switchDTS || !r.ProgramDateTime.Equal(t0.Add(origin+switchDTS+c.pause)) {
				t.Errorf("resynced segment %d at DTS %v, PDT %v; want the switch's keyframe at %v and the wall clock %v",
					r.MSN, r.DTS, r.ProgramDateTime, switchDTS, t0.Add(origin+switchDTS+c.pause))
			}
			if s.NextMSN() != last.MSN+2 { // the last one, and the one in progress
				t.Errorf("NextMSN %d after segment %d finished", s.NextMSN(), last.MSN)
			}
		})
	}
}
