package segment

import (
	"testing"
	"time"
)

// TestPartDurationConfigured: parts follow the configured target (Flussonic's
// chunk_duration), and a target longer than the segment is the segment's.
func TestPartDurationConfigured(t *testing.T) {
	clip := loadClip(t)
	for _, c := range []struct {
		part, want time.Duration
		n          int
	}{
		{400 * time.Millisecond, 400 * time.Millisecond, 5},
		{5 * time.Second, 2 * time.Second, 1},
	} {
		s := feed(t, Config{PartDuration: c.part}, clip.Tracks, clip.Loop(6*time.Second))
		w := s.Window()
		if w.PartTarget != c.want {
			t.Errorf("PartDuration %v: PART-TARGET %v, want %v", c.part, w.PartTarget, c.want)
		}
		for _, seg := range w.Segments {
			if len(seg.Parts) != c.n {
				t.Errorf("PartDuration %v: segment %d has %d parts, want %d", c.part, seg.MSN, len(seg.Parts), c.n)
			}
			for _, p := range seg.Parts {
				if p.Duration > c.want {
					t.Errorf("PartDuration %v: part of %v", c.part, p.Duration)
				}
			}
		}
	}
}

// TestFirstPartWithinOnePartDuration: a viewer can play the stream's first
// part once one part duration of frames has followed the publisher's first
// keyframe, long before the first segment is finished.
func TestFirstPartWithinOnePartDuration(t *testing.T) {
	clip := loadClip(t)
	s := New(Config{Now: fixedNow})
	if err := s.SetTracks(clip.Tracks); err != nil {
		t.Fatal(err)
	}
	var first time.Duration = -1
	for _, f := range clip.Loop(2 * time.Second) {
		if first < 0 && f.Track == 0 && f.Keyframe {
			first = f.DTS
		}
		s.WriteFrame(f)
		if w := s.Window(); w.Partial != nil && len(w.Partial.Parts) > 0 {
			if late := f.DTS - first; first < 0 || late > DefaultPartDuration {
				t.Fatalf("first part published with the frame at %v after the first keyframe, want <= %v", late, DefaultPartDuration)
			}
			if p := w.Partial.Parts[0]; !p.Independent || len(p.CMAF[0]) == 0 || len(p.MPEGTS()) == 0 {
				t.Fatalf("first part: independent %v, %d CMAF and %d TS bytes", p.Independent, len(p.CMAF[0]), len(p.MPEGTS()))
			}
			return
		}
	}
	t.Fatal("no part within 2 s of frames")
}
