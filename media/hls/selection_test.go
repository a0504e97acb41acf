package hls

import (
	"errors"
	"strings"
	"testing"
)

// A selection's master has one variant, the TS media playlist, with only
// the selected tracks' codecs and their CMAF bit rate.
func TestSelectionMaster(t *testing.T) {
	w := testWindow()
	b, err := Master(w, MasterOptions{Tracks: []int{1}, Names: DefaultNames{}})
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	// 12000 bytes per 2 s segment (the last one 2.4 s): 48000 b/s at peak.
	if !strings.Contains(s, `BANDWIDTH=48000,`) || !strings.Contains(s, `CODECS="mp4a.40.2"`) ||
		strings.Contains(s, "RESOLUTION") || strings.Count(s, "#EXT-X-STREAM-INF") != 1 || !strings.HasSuffix(s, "\nmono.m3u8\n") {
		t.Fatalf("audio selection:\n%s", s)
	}
	b, err = Master(w, MasterOptions{Tracks: []int{0, 1}, Names: DefaultNames{}, LowLatency: true})
	if err != nil || !strings.Contains(string(b), `CODECS="avc1.4D401F,mp4a.40.2",RESOLUTION=640x360`) || !strings.HasSuffix(string(b), "\nmono.ll.m3u8\n") {
		t.Fatalf("v1a1: %v\n%s", err, b)
	}
	if _, err := Master(w, MasterOptions{Tracks: []int{2}, Names: DefaultNames{}}); !errors.Is(err, ErrNoTrack) {
		t.Fatalf("track 2: %v", err)
	}
}
