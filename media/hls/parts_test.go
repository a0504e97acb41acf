package hls

import (
	"regexp"
	"strconv"
	"testing"
	"time"

	"streamhive/media/mediatest"
	"streamhive/media/segment"
)

var (
	partTargetTag = regexp.MustCompile(`#EXT-X-PART-INF:PART-TARGET=([0-9.]+)`)
	partTag       = regexp.MustCompile(`#EXT-X-PART:DURATION=([0-9.]+),URI="[^"]*"`)
)

// TestPartsWithinPartTarget: with keyframes that fall inside a part's
// target (30 fps, a keyframe every 50 frames, 200 ms parts), every LL-HLS
// media playlist lists each part at no more than its PART-TARGET (RFC
// 8216bis 4.4.4.9): the video's parts in the MPEG-TS and CMAF video
// playlists, and the audio's, which follow the video's cuts to a whole
// AAC frame, in the CMAF audio playlist.
func TestPartsWithinPartTarget(t *testing.T) {
	clip, err := mediatest.LoadClip()
	if err != nil {
		t.Fatal(err)
	}
	s := segment.New(segment.Config{})
	if err := s.SetTracks(clip.Tracks); err != nil {
		t.Fatal(err)
	}
	for _, f := range clip.Paced(30, 50, 10*time.Second) {
		s.WriteFrame(f)
	}
	w := s.Window()
	for _, o := range []MediaOptions{{Format: TS}, {Format: FMP4, Track: 0}, {Format: FMP4, Track: 1}} {
		o.LowLatency, o.Names = true, DefaultNames{}
		b, err := Media(w, o)
		if err != nil {
			t.Fatal(err)
		}
		m := partTargetTag.FindSubmatch(b)
		if m == nil {
			t.Fatalf("format %d track %d: no PART-TARGET in\n%s", o.Format, o.Track, b)
		}
		target, _ := strconv.ParseFloat(string(m[1]), 64)
		parts := partTag.FindAllSubmatch(b, -1)
		for _, p := range parts {
			if d, _ := strconv.ParseFloat(string(p[1]), 64); d > target {
				t.Errorf("format %d track %d: part of %s s, PART-TARGET %s s", o.Format, o.Track, p[1], m[1])
			}
		}
	}
}
