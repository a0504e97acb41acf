package segment

import (
	"testing"
	"time"
)

// TestPartDurationConfigured: parts follow the configured target (Flussonic's
// chunk_duration), and a target longer than the segment is the segment's.
// The clip's keyframes, every second, start parts of their own: 0.4 + 0.4
// + 0.2 s per second of 400 ms parts, a second each of 2 s ones.
func TestPartDurationConfigured(t *testing.T) {
	clip := loadClip(t)
	for _, c := range []struct {
		part, want time.Duration
		n          int
	}{
		{400 * time.Millisecond, 400 * time.Millisecond, 6},
		{5 * time.Second, 2 * time.Second, 2},
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

// TestPartAtEveryKeyframe: with keyframes that fall inside a part's target
// (30 fps, a keyframe every 50 frames: every 1.667 s, against 200 ms
// parts), each keyframe starts an INDEPENDENT part, where a joining or
// seeking player can start; the part before it ends early. No part is
// longer than PART-TARGET or shorter than a frame, and segments are still
// cut at the first keyframe past their duration.
func TestPartAtEveryKeyframe(t *testing.T) {
	const fps, gop = 30, 50
	frame := time.Second / fps
	isKey := func(d time.Duration) bool {
		i := (d*fps + time.Second/2) / time.Second // the frame at d
		return i%gop == 0 && d == i*time.Second/fps
	}
	var segs []*Segment
	clip := loadClip(t)
	s := feed(t, Config{OnSegment: func(seg *Segment) { segs = append(segs, seg) }},
		clip.Tracks, clip.Paced(fps, gop, 12*time.Second))
	w := s.Window()
	if w.Partial != nil {
		segs = append(segs, w.Partial)
	}
	starts := map[time.Duration]bool{}
	for _, seg := range segs {
		if !isKey(seg.DTS) || (seg != w.Partial && seg.Duration+frame/2 < DefaultSegmentDuration) {
			t.Errorf("segment %d: at %v for %v, want at a keyframe for at least %v", seg.MSN, seg.DTS, seg.Duration, DefaultSegmentDuration)
		}
		var sum time.Duration
		for _, p := range seg.Parts {
			starts[p.DTS] = true
			sum += p.Duration
			if p.Duration > w.PartTarget || p.Duration < frame || p.Spans[0].Samples == 0 {
				t.Errorf("segment %d part %d: %v with %d pictures, want one frame to %v", seg.MSN, p.Index, p.Duration, p.Spans[0].Samples, w.PartTarget)
			}
			if p.Independent != isKey(p.DTS) {
				t.Errorf("segment %d part %d at %v: independent %v", seg.MSN, p.Index, p.DTS, p.Independent)
			}
		}
		if sum != seg.Duration {
			t.Errorf("segment %d: parts of %v in %v", seg.MSN, sum, seg.Duration)
		}
	}
	last := segs[len(segs)-1]
	for i := 0; ; i += gop {
		at := time.Duration(i) * time.Second / fps
		if at >= last.DTS+last.Duration {
			break
		}
		if !starts[at] {
			t.Errorf("the keyframe at %v starts no part", at)
		}
	}
}
