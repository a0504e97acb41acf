package dash

import (
	"encoding/xml"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"streamhive/media"
	"streamhive/media/mediatest"
	"streamhive/media/segment"
)

var update = flag.Bool("update", false, "rewrite the golden files")

var t0 = time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)

// clipWindow segments d of the test clip and returns the segmenter.
func clipSegmenter(t *testing.T, d time.Duration) (*segment.Segmenter, []*media.Frame, []media.Track) {
	t.Helper()
	clip, err := mediatest.LoadClip()
	if err != nil {
		t.Fatal(err)
	}
	s := segment.New(segment.Config{Now: func() time.Time { return t0 }, WindowSegments: 4})
	if err := s.SetTracks(clip.Tracks); err != nil {
		t.Fatal(err)
	}
	return s, clip.Loop(d), clip.Tracks
}

func TestGolden(t *testing.T) {
	s, frames, _ := clipSegmenter(t, 12*time.Second)
	for _, f := range frames {
		s.WriteFrame(f)
	}
	o := Options{Names: DefaultNames{}, PublishTime: t0.Add(12 * time.Second)}
	goldenMPD(t, s.Window(), o, "live.mpd")
	// The image track (thumbnails): an AdaptationSet of 1x1 tiles, a
	// thumbnail every target duration, named from the Period's start.
	o.Images = []Image{{Width: 320, Height: 180}}
	o.ImageMedia = func(from int64) string { return fmt.Sprintf("$RepresentationID$/seg-%d-$Time$.hls.jpg", from) }
	goldenMPD(t, s.Window(), o, "images.mpd")
}

func goldenMPD(t *testing.T, w *segment.Window, o Options, file string) {
	t.Helper()
	got, err := MPD(w, o)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", file)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Errorf("MPD differs from %s; got:\n%s", path, got)
	}
}

func TestNotReady(t *testing.T) {
	if _, err := MPD(&segment.Window{}, Options{Names: DefaultNames{}}); !errors.Is(err, ErrNotReady) {
		t.Errorf("got %v, want ErrNotReady", err)
	}
}

type mpdDoc struct {
	AST     string `xml:"availabilityStartTime,attr"`
	Periods []struct {
		Sets []struct {
			Type     string `xml:"contentType,attr"`
			Template struct {
				Timescale   uint64 `xml:"timescale,attr"`
				StartNumber uint64 `xml:"startNumber,attr"`
				S           []struct {
					T *uint64 `xml:"t,attr"`
					D uint64  `xml:"d,attr"`
					R int     `xml:"r,attr"`
				} `xml:"SegmentTimeline>S"`
			} `xml:"SegmentTemplate"`
		} `xml:"AdaptationSet"`
	} `xml:"Period"`
}

// segmentTimes expands a SegmentTemplate's timeline into number → start,
// leaving out the numbers before first: the lead-in entry.
func segmentTimes(t *testing.T, doc *mpdDoc, set int, first uint64) map[uint64][2]uint64 {
	t.Helper()
	tpl := doc.Periods[0].Sets[set].Template
	out := map[uint64][2]uint64{}
	n, at := tpl.StartNumber, uint64(0)
	for i, s := range tpl.S {
		if s.T != nil {
			if i > 0 && *s.T != at {
				t.Errorf("set %d: S %d starts at %d, the previous one ends at %d", set, i, *s.T, at)
			}
			at = *s.T
		} else if i == 0 {
			t.Fatalf("set %d: first S has no @t", set)
		}
		for range s.R + 1 {
			if n >= first {
				out[n] = [2]uint64{at, s.D}
			}
			n++
			at += s.D
		}
	}
	return out
}

// The timeline of every track advances without gaps, and a later MPD
// continues an earlier one: the same number has the same start.
func TestTimelineAdvancesWithoutGaps(t *testing.T) {
	s, frames, tracks := clipSegmenter(t, 24*time.Second)
	var docs []*mpdDoc
	var firsts []uint64 // the window's first MSN per MPD
	for i, f := range frames {
		s.WriteFrame(f)
		if i%400 != 399 {
			continue
		}
		b, err := MPD(s.Window(), Options{Names: DefaultNames{}, PublishTime: t0})
		if err != nil {
			t.Fatal(err)
		}
		doc := &mpdDoc{}
		if err := xml.Unmarshal(b, doc); err != nil {
			t.Fatal(err)
		}
		docs = append(docs, doc)
		firsts = append(firsts, s.Window().Segments[0].MSN)
	}
	if len(docs) < 3 {
		t.Fatalf("only %d MPDs", len(docs))
	}
	for set := range tracks {
		all := map[uint64][2]uint64{}
		for i, doc := range docs {
			if doc.AST != docs[0].AST {
				t.Errorf("availabilityStartTime moved from %s to %s", docs[0].AST, doc.AST)
			}
			for n, v := range segmentTimes(t, doc, set, firsts[i]) {
				if old, ok := all[n]; ok && old[0] != v[0] {
					t.Errorf("set %d: segment %d started at %d, now at %d", set, n, old[0], v[0])
				}
				all[n] = v
			}
		}
		for n := uint64(1); all[n] != [2]uint64{}; n++ {
			prev := all[n-1]
			if prev == [2]uint64{} {
				continue
			}
			if prev[0]+prev[1] != all[n][0] {
				t.Errorf("set %d: gap between segments %d and %d", set, n-1, n)
			}
		}
		if len(all) < 8 {
			t.Errorf("set %d: only %d segments seen", set, len(all))
		}
	}
}

// Every timeline starts at the Period's start, which GStreamer's dashdemux
// needs: once the window slides, a lead-in entry numbered just before the
// window's first segment spans the time up to it (folded into @r where
// it lasts as long as the segments after it).
func TestTimelineStartsAtPeriodStart(t *testing.T) {
	s, frames, tracks := clipSegmenter(t, 24*time.Second)
	slid := false
	for i, f := range frames {
		s.WriteFrame(f)
		if i%100 != 99 {
			continue
		}
		w := s.Window()
		b, err := MPD(w, Options{Names: DefaultNames{}, PublishTime: t0})
		if errors.Is(err, ErrNotReady) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		doc := &mpdDoc{}
		if err := xml.Unmarshal(b, doc); err != nil {
			t.Fatal(err)
		}
		first := w.Segments[0]
		for set := range tracks {
			tpl := doc.Periods[0].Sets[set].Template
			if first.MSN == 0 {
				// The stream's first segment: its own start, within one
				// segment of the Period's.
				if s0 := tpl.S[0]; s0.T == nil || *s0.T >= s0.D {
					t.Fatalf("set %d: first segment far from the Period's start:\n%s", set, b)
				}
				continue
			}
			if s0 := tpl.S[0]; s0.T == nil || *s0.T != 0 {
				t.Fatalf("set %d: timeline does not start at 0:\n%s", set, b)
			}
			slid = true
			if tpl.StartNumber != first.MSN-1 || tpl.S[0].D != first.Spans[set].Base {
				t.Errorf("set %d: lead-in #%d lasts %d, want #%d up to %d", set, tpl.StartNumber, tpl.S[0].D, first.MSN-1, first.Spans[set].Base)
			}
		}
	}
	if !slid {
		t.Fatal("the window never slid")
	}
}
