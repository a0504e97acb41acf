//go:build e2e

package hls

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"streamhive/media/mediatest"
	"streamhive/media/segment"
)

// TestPlaylistsPlayInFFmpeg renders real segments of the test clip to disk
// under DefaultNames and lets ffmpeg play the TS playlist and the fMP4
// master (video playlist plus audio rendition) to the end.
func TestPlaylistsPlayInFFmpeg(t *testing.T) {
	for _, tool := range []string{"ffprobe", "ffmpeg"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed", tool)
		}
	}
	clip, err := mediatest.LoadClip()
	if err != nil {
		t.Fatal(err)
	}
	s := segment.New(segment.Config{})
	if err := s.SetTracks(clip.Tracks); err != nil {
		t.Fatal(err)
	}
	for _, f := range clip.Loop(8 * time.Second) {
		s.WriteFrame(f)
	}
	s.Close()
	w := s.Window()
	dir := t.TempDir()
	put := func(name string, b []byte, err error) {
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	n := DefaultNames{}
	for _, seg := range w.Segments {
		put(n.Segment(seg, TS, 0), seg.MPEGTS(), nil)
		for tr := range w.Tracks {
			put(n.Segment(seg, FMP4, tr), seg.CMAF[tr], nil)
		}
	}
	for tr := range w.Tracks {
		put(n.Init(w.Init, tr), w.Init.CMAF[tr], nil)
		b, err := Media(w, MediaOptions{Format: FMP4, Track: tr, Names: n})
		put(n.Playlist(FMP4, tr, false), b, err)
	}
	b, err := Media(w, MediaOptions{Format: TS, Names: n})
	put(n.Playlist(TS, 0, false), b, err)
	b, err = Master(w, MasterOptions{Format: FMP4, Names: n})
	put("index.m3u8", b, err)

	for _, pl := range []string{"mono.m3u8", "index.m3u8"} {
		cmd := exec.Command("ffmpeg", "-v", "error", "-allowed_extensions", "ALL", "-i", filepath.Join(dir, pl), "-f", "null", "-")
		out, err := cmd.CombinedOutput()
		if err != nil || len(bytes.TrimSpace(out)) > 0 {
			t.Errorf("ffmpeg %s: %v\n%s", pl, err, out)
		}
	}
	out, err := exec.Command("ffprobe", "-v", "error", "-show_entries", "stream=codec_name,width,height",
		"-of", "csv=p=0", filepath.Join(dir, "index.m3u8")).Output()
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Fields(string(out)) // streams, listed once per program as well
	slices.Sort(got)
	got = slices.Compact(got)
	if strings.Join(got, " ") != "aac h264,320,180" {
		t.Errorf("ffprobe master: got %q, want h264 320x180 and aac", got)
	}
}
