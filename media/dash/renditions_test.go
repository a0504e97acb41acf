package dash

import (
	"encoding/xml"
	"testing"
	"time"

	"streamhive/media"
	"streamhive/media/mediatest"
	"streamhive/media/segment"
)

func TestRenditionsShareAnAdaptationSet(t *testing.T) {
	clip, err := mediatest.LoadClip()
	if err != nil {
		t.Fatal(err)
	}
	small := clip.Tracks[0]
	small.ID, small.Width, small.Height = 1, 160, 90
	audio := clip.Tracks[1]
	audio.ID = 2
	s := segment.New(segment.Config{Now: func() time.Time { return t0 }, WindowSegments: 4})
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
	b, err := MPD(s.Window(), Options{Names: DefaultNames{}, PublishTime: t0})
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Sets []struct {
			Type string `xml:"contentType,attr"`
			Reps []struct {
				ID       string `xml:"id,attr"`
				Width    int    `xml:"width,attr"`
				Height   int    `xml:"height,attr"`
				BW       int    `xml:"bandwidth,attr"`
				Template struct {
					Media string `xml:"media,attr"`
					S     []struct {
						D uint64 `xml:"d,attr"`
					} `xml:"SegmentTimeline>S"`
				} `xml:"SegmentTemplate"`
			} `xml:"Representation"`
		} `xml:"Period>AdaptationSet"`
	}
	if err := xml.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Sets) != 2 || doc.Sets[0].Type != "video" || len(doc.Sets[0].Reps) != 2 || doc.Sets[1].Type != "audio" {
		t.Fatalf("MPD:\n%s", b)
	}
	for i, want := range [][2]int{{320, 180}, {160, 90}} {
		r := doc.Sets[0].Reps[i]
		if r.Width != want[0] || r.Height != want[1] || r.BW <= 0 || len(r.Template.S) == 0 ||
			r.Template.Media != "seg-$Number$.t"+r.ID+".m4s" {
			t.Errorf("representation %d: %+v", i, r)
		}
	}
}
