package segment

import (
	"testing"
	"time"

	"streamhive/media"
	"streamhive/media/mediatest"
)

// TestRenditions: a transcoder's ladder is several video tracks whose
// keyframes fall at the same times. The first cuts the segments; every
// rendition's fragment of a segment starts at the same time as the
// leading track's, so each rendition's playlist switches cleanly.
func TestRenditions(t *testing.T) {
	clip, err := mediatest.LoadClip()
	if err != nil {
		t.Fatal(err)
	}
	small := clip.Tracks[0]
	small.ID, small.Width, small.Height = 1, 160, 90
	audio := clip.Tracks[1]
	audio.ID = 2
	s := New(Config{SegmentDuration: time.Second})
	if err := s.SetTracks([]media.Track{clip.Tracks[0], small, audio}); err != nil {
		t.Fatal(err)
	}
	for _, f := range clip.Loop(6 * time.Second) {
		c := *f
		if f.Track == 1 {
			c.Track = 2
			s.WriteFrame(&c)
			continue
		}
		s.WriteFrame(f)
		c.Track = 1
		s.WriteFrame(&c)
	}
	s.Close()
	w := s.Window()
	if len(w.Segments) < 4 {
		t.Fatalf("%d segments", len(w.Segments))
	}
	for _, seg := range w.Segments {
		if len(seg.CMAF) != 3 || len(seg.CMAF[0]) == 0 || len(seg.CMAF[1]) == 0 || len(seg.CMAF[2]) == 0 {
			t.Fatalf("segment %d: CMAF sizes %d", seg.MSN, len(seg.CMAF))
		}
		if seg.Spans[0].Base != seg.Spans[1].Base || seg.Spans[0].Length != seg.Spans[1].Length {
			t.Errorf("segment %d: rendition spans %+v and %+v differ", seg.MSN, seg.Spans[0], seg.Spans[1])
		}
	}
	// The clip's first audio frames precede its first keyframe and are
	// dropped; nothing else is.
	if st := s.Stats(); st.Dropped > 2 || st.Errors != 0 {
		t.Errorf("stats %+v", st)
	}
}
