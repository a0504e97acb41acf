package play

import (
	"bytes"
	"testing"
)

// TestPreviewMP4: preview.mp4 is a fragmented MP4 of the latest keyframe
// (200, video/mp4, ftyp+moov then moof+mdat); 503 while the stream has no
// segment, 404 for no stream.
func TestPreviewMP4(t *testing.T) {
	hr := newHarness(t)
	resp, body := hr.get(t, "/live/bunny/preview.mp4")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != typeVideoMP {
		t.Fatalf("preview.mp4: %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	b := body
	for _, box := range []string{"ftyp", "moov", "moof", "mdat"} {
		if !bytes.Contains(b, []byte(box)) {
			t.Errorf("preview.mp4 lacks %s", box)
		}
	}
	if len(b) < 8 || string(b[4:8]) != "ftyp" {
		t.Errorf("preview.mp4 does not start with ftyp")
	}
	if resp, _ := hr.get(t, "/fresh/preview.mp4"); resp.StatusCode != 503 {
		t.Errorf("preview.mp4 of a stream with no segment: %d", resp.StatusCode)
	}
	if resp, _ := hr.get(t, "/nope/preview.mp4"); resp.StatusCode != 404 {
		t.Errorf("preview.mp4 of no stream: %d", resp.StatusCode)
	}
}
