package hls

import (
	"strings"
	"testing"
	"time"

	"streamhive/media"
	"streamhive/media/mediatest"
	"streamhive/media/segment"
)

// renditionWindow segments 6 s of the test clip carried as two video
// renditions (the second a copy declared at 160x90, as a transcoder's
// aligned ladder would be) and audio.
func renditionWindow(t *testing.T) *segment.Window {
	t.Helper()
	clip, err := mediatest.LoadClip()
	if err != nil {
		t.Fatal(err)
	}
	small := clip.Tracks[0]
	small.ID, small.Width, small.Height = 1, 160, 90
	audio := clip.Tracks[1]
	audio.ID = 2
	s := segment.New(segment.Config{WindowSegments: 4})
	if err := s.SetTracks([]media.Track{clip.Tracks[0], small, audio}); err != nil {
		t.Fatal(err)
	}
	for _, f := range clip.Loop(6 * time.Second) {
		if f.Track == 1 {
			c := *f
			c.Track = 2
			s.WriteFrame(&c)
			continue
		}
		s.WriteFrame(f)
		c := *f
		c.Track = 1
		s.WriteFrame(&c)
	}
	s.Close()
	return s.Window()
}

func TestMasterListsRenditions(t *testing.T) {
	w := renditionWindow(t)
	for _, f := range []Format{TS, FMP4} {
		b, err := Master(w, MasterOptions{Format: f, Names: DefaultNames{}})
		if err != nil {
			t.Fatal(err)
		}
		m := string(b)
		if strings.Count(m, "#EXT-X-STREAM-INF:") != 2 || !strings.Contains(m, "RESOLUTION=320x180") ||
			!strings.Contains(m, "RESOLUTION=160x90") || !strings.Contains(m, "\ntrack-0.m3u8\n") ||
			!strings.Contains(m, "\ntrack-1.m3u8\n") || !strings.Contains(m, `GROUP-ID="audio"`) || strings.Contains(m, "mono") {
			t.Errorf("format %d: master\n%s", f, m)
		}
	}
	for _, id := range []int{0, 1} {
		b, err := Media(w, MediaOptions{Format: FMP4, Track: id, Names: DefaultNames{}})
		if err != nil || strings.Count(string(b), "#EXTINF:") < 2 {
			t.Errorf("track %d: %v\n%s", id, err, b)
		}
	}
}
