//go:build e2e

package segment

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"streamhive/media"
)

// TestSegmentsPlayInFFmpeg writes 10 s of the clip's segments to files and
// has the real ffprobe and ffmpeg read them: every TS segment, the TS
// segments concatenated (continuity counters must run on), and per track
// init + CMAF segment and init + a single part.
func TestSegmentsPlayInFFmpeg(t *testing.T) {
	for _, tool := range []string{"ffprobe", "ffmpeg"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed", tool)
		}
	}
	clip := loadClip(t)
	var frames []*media.Frame
	for _, f := range clip.Loop(10 * time.Second) {
		if f.DTS < 10*time.Second {
			frames = append(frames, f)
		}
	}
	s := feed(t, Config{WindowSegments: 10}, clip.Tracks, frames)
	s.Close()
	w := s.Window()
	dir := t.TempDir()
	write := func(name string, parts ...[]byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, bytes.Join(parts, nil), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	const gop = time.Second
	var all [][]byte
	for i, seg := range w.Segments {
		if seg.MSN != uint64(i) {
			t.Errorf("segment %d has MSN %d", i, seg.MSN)
		}
		if seg.Duration > w.TargetDuration+gop {
			t.Errorf("segment %d lasts %v, over target + one GOP", seg.MSN, seg.Duration)
		}
		all = append(all, seg.MPEGTS())
		ts := write(fmt.Sprintf("seg-%d.ts", seg.MSN), seg.MPEGTS())
		if i == 0 { // probing is slow: the first segment stands for the rest; all are decoded
			probe(t, ts, map[string]string{"h264": "320x180", "aac": ""})
		}
		decode(t, ts)
		for tr, name := range []string{"h264", "aac"} {
			init := w.Init.CMAF[tr]
			f := write(fmt.Sprintf("seg-%d.t%d.mp4", seg.MSN, tr), init, seg.CMAF[tr])
			want := map[string]string{name: ""}
			if tr == 0 {
				want[name] = "320x180"
			}
			if i == 0 {
				probe(t, f, want)
			}
			decode(t, f)
			if i == 1 { // a part alone is a valid fragment too
				last := seg.Parts[len(seg.Parts)-1]
				decode(t, write(fmt.Sprintf("seg-%d.part-%d.t%d.mp4", seg.MSN, last.Index, tr), init, last.CMAF[tr]))
			}
		}
	}
	if len(w.Segments) != 5 {
		t.Errorf("got %d segments from 10 s, want 5", len(w.Segments))
	}
	decode(t, write("all.ts", all...))
}

// probe checks the codecs (and video size) ffprobe finds in path.
func probe(t *testing.T, path string, want map[string]string) {
	t.Helper()
	out, err := exec.Command("ffprobe", "-v", "error", "-show_streams", "-of", "json", path).Output()
	if err != nil {
		t.Errorf("ffprobe %s: %v", filepath.Base(path), err)
		return
	}
	var res struct {
		Streams []struct {
			CodecName string `json:"codec_name"`
			Width     int    `json:"width"`
			Height    int    `json:"height"`
		} `json:"streams"`
	}
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, s := range res.Streams {
		got[s.CodecName] = ""
		if s.Width > 0 {
			got[s.CodecName] = fmt.Sprintf("%dx%d", s.Width, s.Height)
		}
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("ffprobe %s: got streams %v, want %v", filepath.Base(path), got, want)
	}
}

// decode has ffmpeg decode path and fails on any error it reports.
func decode(t *testing.T, path string) {
	t.Helper()
	out, err := exec.Command("ffmpeg", "-v", "error", "-i", path, "-f", "null", "-").CombinedOutput()
	if err != nil || len(bytes.TrimSpace(out)) > 0 {
		t.Errorf("ffmpeg decoding %s: %v\n%s", filepath.Base(path), err, out)
	}
}
