package drm_test

import (
	"bytes"
	"encoding/xml"
	"strconv"
	"strings"
	"testing"
	"time"

	"streamhive/media/dash"
	"streamhive/media/drm"
	"streamhive/media/drm/drmtest"
	"streamhive/media/mediatest"
	"streamhive/media/segment"
)

// rotWindow segments 14 s of the test clip recorded from a time on a
// 4 s boundary, so that keys rotating every 4 s change inside it.
func rotWindow(t testing.TB) *segment.Window {
	t.Helper()
	clip, err := mediatest.LoadClip()
	if err != nil {
		t.Fatal(err)
	}
	start := time.Unix(1_700_000_000, 0)
	s := segment.New(segment.Config{Now: func() time.Time { return start }, WindowSegments: 20})
	if err := s.SetTracks(clip.Tracks); err != nil {
		t.Fatal(err)
	}
	for _, f := range clip.Loop(14 * time.Second) {
		s.WriteFrame(f)
	}
	return s.Window()
}

// rotMPD is what a test reads back from a rotating MPD.
type rotMPD struct {
	NS      string `xml:"xmlns,attr"`
	Periods []struct {
		ID    string `xml:"id,attr"`
		Start string `xml:"start,attr"`
		Asset struct {
			Scheme string `xml:"schemeIdUri,attr"`
			Value  string `xml:"value,attr"`
		} `xml:"AssetIdentifier"`
		Sets []struct {
			ID int `xml:"id,attr"`
			CP []struct {
				Value string `xml:"value,attr"`
				KID   string `xml:"urn:mpeg:cenc:2013 default_KID,attr"`
				PSSH  string `xml:"urn:mpeg:cenc:2013 pssh"`
			} `xml:"ContentProtection"`
			Props []struct {
				Scheme string `xml:"schemeIdUri,attr"`
				Value  string `xml:"value,attr"`
			} `xml:"SupplementalProperty"`
			Template struct {
				Timescale   uint64 `xml:"timescale,attr"`
				Init        string `xml:"initialization,attr"`
				StartNumber uint64 `xml:"startNumber,attr"`
				PTO         uint64 `xml:"presentationTimeOffset,attr"`
				S           []struct {
					T *uint64 `xml:"t,attr"`
					D uint64  `xml:"d,attr"`
					R int     `xml:"r,attr"`
				} `xml:"SegmentTimeline>S"`
			} `xml:"SegmentTemplate"`
		} `xml:"AdaptationSet"`
	} `xml:"Period"`
}

func renderRotating(t *testing.T, w *segment.Window, rot drm.DASHRotation) (rotMPD, []byte) {
	t.Helper()
	b, err := dash.MPD(w, dash.Options{
		Names: dash.DefaultNames{}, PublishTime: time.Now(),
		Periods: rot.Periods, AssetID: "live/rot", Namespaces: drm.DASHNamespaces,
	})
	if err != nil {
		t.Fatal(err)
	}
	var doc rotMPD
	if err := xml.Unmarshal(b, &doc); err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	return doc, b
}

// seconds parses a Period@start (PT0S or PTn.nnnnnnS).
func seconds(t *testing.T, d string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimPrefix(d, "PT"), "S"), 64)
	if err != nil {
		t.Fatalf("period start %q: %v", d, err)
	}
	return v
}

func rotation(keys drm.KeySource) drm.DASHRotation {
	return drm.DASHRotation{
		Keys: keys, Scheme: drm.CENC, LicenseURL: "/live/rot/drm/clearkey",
		InitQuery: func(k drm.Key) string { return "drm_at=" + strconv.FormatInt(k.From.UnixMilli(), 10) },
		Starts:    &drm.PeriodStarts{},
	}
}

// TestRotatingMPD: a rotation inside the window gives one Period per key,
// each with its key's default_KID and init URL, the window's segments
// partitioned between them exactly by their keys, each Period starting
// where its first segment starts, continuing the one before.
func TestRotatingMPD(t *testing.T) {
	w := rotWindow(t)
	keys := &drmtest.Static{
		Seed: "rot", Period: 4 * time.Second,
		Signals: []drm.Signal{{SystemID: drm.SystemWidevine, PSSH: []byte{0, 0, 0, 8, 'p', 's', 's', 'h'}}},
	}
	rot := rotation(keys)
	doc, raw := renderRotating(t, w, rot)
	if len(doc.Periods) < 3 {
		t.Fatalf("%d Periods over 14 s of keys rotating every 4 s:\n%s", len(doc.Periods), raw)
	}
	bySeg := map[uint64]int{} // MSN -> Period index, from the timelines
	inits := map[string]bool{}
	for i, p := range doc.Periods {
		if p.Asset.Value != "live/rot" {
			t.Errorf("Period %s: AssetIdentifier %+v", p.ID, p.Asset)
		}
		if len(p.Sets) != 2 {
			t.Fatalf("Period %s: %d AdaptationSets", p.ID, len(p.Sets))
		}
		for _, set := range p.Sets {
			tpl := set.Template
			if len(set.CP) != 3 || set.CP[0].Value != "cenc" || set.CP[1].PSSH == "" {
				t.Fatalf("Period %s set %d: ContentProtection %+v", p.ID, set.ID, set.CP)
			}
			if inits[tpl.Init] {
				t.Errorf("init URL %s in two Periods", tpl.Init)
			}
			inits[tpl.Init] = true
			cont := ""
			for _, prop := range set.Props {
				if prop.Scheme == "urn:mpeg:dash:period-continuity:2015" {
					cont = prop.Value
				}
			}
			if i > 0 && cont != doc.Periods[i-1].ID || i == 0 && cont != "" {
				t.Errorf("Period %s set %d continues %q", p.ID, set.ID, cont)
			}
			// PTO is the Period's start in the track's timescale.
			if got, want := float64(tpl.PTO)/float64(tpl.Timescale), seconds(t, p.Start); got-want > 1e-4 || want-got > 1e-4 {
				t.Errorf("Period %s set %d: PTO %d/%d is not start %s", p.ID, set.ID, tpl.PTO, tpl.Timescale, p.Start)
			}
			n, at := tpl.StartNumber, tpl.PTO
			for j, s := range tpl.S {
				if s.T != nil {
					at = *s.T
				}
				for range s.R + 1 {
					seg := w.Segment(n)
					switch {
					case seg == nil && i == 0 && j == 0:
						// The first Period's lead-in: before the window.
					case seg == nil:
						t.Fatalf("Period %s lists segment %d, not in the window", p.ID, n)
					case seg.Spans[set.ID].Base != at:
						t.Errorf("Period %s segment %d at %d, its media at %d", p.ID, n, at, seg.Spans[set.ID].Base)
					default:
						if prev, ok := bySeg[n]; ok && prev != i || set.ID == 0 && ok {
							t.Errorf("segment %d in Periods %d and %d", n, prev, i)
						}
						bySeg[n] = i
						k, _ := keys.KeyAt(seg.ProgramDateTime)
						if set.CP[0].KID != drm.UUID(k.KID) {
							t.Errorf("segment %d (%s) in Period %s of key %s, its own is %s",
								n, seg.ProgramDateTime.Format(time.RFC3339Nano), p.ID, set.CP[0].KID, drm.UUID(k.KID))
						}
						if !strings.Contains(tpl.Init, "drm_at="+strconv.FormatInt(k.From.UnixMilli(), 10)) {
							t.Errorf("Period %s init %s does not name its key", p.ID, tpl.Init)
						}
					}
					n++
					at += s.D
				}
			}
		}
		if i > 0 {
			first := p.Sets[0].Template.StartNumber
			if got, want := seconds(t, p.Start), w.Segment(first).DTS.Seconds(); got-want > 1e-5 || want-got > 1e-5 {
				t.Errorf("Period %s starts at %s, its first segment at %v", p.ID, p.Start, w.Segment(first).DTS)
			}
		}
	}
	for _, s := range w.Segments {
		if _, ok := bySeg[s.MSN]; !ok {
			t.Errorf("segment %d is in no Period", s.MSN)
		}
	}
}

// TestRotatingMPDUpdates: as the window slides, a Period keeps its id and
// start, even once its first segment has left.
func TestRotatingMPDUpdates(t *testing.T) {
	w := rotWindow(t)
	rot := rotation(&drmtest.Static{Seed: "slide", Period: 4 * time.Second})
	first, _ := renderRotating(t, w, rot)
	starts := map[string]string{}
	for _, p := range first.Periods {
		starts[p.ID] = p.Start
	}
	for cut := 1; cut < len(w.Segments); cut++ {
		later := *w
		later.Segments = w.Segments[cut:]
		doc, _ := renderRotating(t, &later, rot)
		for _, p := range doc.Periods {
			if starts[p.ID] != p.Start {
				t.Errorf("window from %d: Period %s starts at %s, before at %s", cut, p.ID, p.Start, starts[p.ID])
			}
		}
	}
}

// TestRotatingMPDFailsClosed: no key, no MPD.
func TestRotatingMPDFailsClosed(t *testing.T) {
	keys := drmtest.New("down")
	keys.SetDown(true)
	_, err := dash.MPD(rotWindow(t), dash.Options{Names: dash.DefaultNames{}, Periods: rotation(keys).Periods})
	if err == nil {
		t.Fatal("an MPD without its keys")
	}
}

// TestOneKeyOnePeriod: a key of all time gives one Period from PT0S with
// no init query, as the single-key MPD had.
func TestOneKeyOnePeriod(t *testing.T) {
	rot := rotation(drmtest.New("one"))
	rot.InitQuery = nil
	doc, raw := renderRotating(t, rotWindow(t), rot)
	if len(doc.Periods) != 1 || doc.Periods[0].Start != "PT0S" || !bytes.Contains(raw, []byte(`initialization="init-0.t0.mp4"`)) {
		t.Errorf("one key:\n%s", raw)
	}
}
