package dash

import (
	"encoding/xml"
	"testing"
	"time"

	"streamhive/media/mediatest"
	"streamhive/media/segment"
)

// TestTimelineShowsAJump: after a long outage the segmenter jumps its
// timeline forward to the wall clock. The MPD must place every segment at
// its own start and must not stretch the segment before the jump over the
// outage.
func TestTimelineShowsAJump(t *testing.T) {
	clip, err := mediatest.LoadClip()
	if err != nil {
		t.Fatal(err)
	}
	var now time.Time
	s := segment.New(segment.Config{Now: func() time.Time { return now }, WindowSegments: 6})
	if err := s.SetTracks(clip.Tracks); err != nil {
		t.Fatal(err)
	}
	for _, f := range clip.Loop(12 * time.Second) {
		now = t0.Add(f.DTS)
		if f.DTS >= 6*time.Second {
			now = now.Add(30 * time.Second) // an outage the input's timestamps do not show
		}
		s.WriteFrame(f)
	}
	w := s.Window()
	b, err := MPD(w, Options{Names: DefaultNames{}, PublishTime: now})
	if err != nil {
		t.Fatal(err)
	}
	doc := &mpdDoc{}
	if err := xml.Unmarshal(b, doc); err != nil {
		t.Fatal(err)
	}
	jumped := false
	for set := range clip.Tracks {
		tpl := doc.Periods[0].Sets[set].Template
		n, at := tpl.StartNumber, uint64(0)
		got := map[uint64][2]uint64{}
		for _, e := range tpl.S {
			if e.T != nil {
				at = *e.T
			}
			for range e.R + 1 {
				got[n] = [2]uint64{at, e.D}
				n++
				at += e.D
			}
		}
		for _, seg := range w.Segments {
			if seg.MSN == tpl.StartNumber {
				continue // the lead-in entry, up to the window's first segment
			}
			sp := seg.Spans[set]
			g, ok := got[seg.MSN]
			if !ok || g[0] != sp.Base {
				t.Errorf("set %d: segment %d at %v in the MPD, want %d", set, seg.MSN, g, sp.Base)
			}
			if g[1] > sp.Length+sp.Length/2 {
				t.Errorf("set %d: segment %d lasts %d in the MPD, its media %d", set, seg.MSN, g[1], sp.Length)
			}
			jumped = jumped || seg.Discontinuity
		}
	}
	if !jumped {
		t.Fatal("the window holds no jump: the test does not test anything")
	}
}
