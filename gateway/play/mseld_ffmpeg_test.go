//go:build e2e

package play

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestMSELDFFprobe concatenates what an MSE-LD client gets of each track
// (its init, then its fragments, as a SourceBuffer is fed) and has ffprobe
// and ffmpeg read the files: H.264 320x180 and AAC, decoded without an
// error line.
func TestMSELDFFprobe(t *testing.T) {
	t.Parallel()
	needTools(t)
	hr := newHarness(t)
	ws := dialMSE(t, hr.wsURL("live/bunny", ""))
	r := readMSE(t, ws, fragments(4)) // a few seconds of parts
	dir := t.TempDir()
	for _, tr := range r.inits[0].Tracks {
		file := filepath.Join(dir, tr.Content+".mp4")
		body := append([]byte(nil), tr.Payload...)
		for _, f := range r.frags[tr.ID] {
			body = append(body, f...)
		}
		if err := os.WriteFile(file, body, 0o600); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		out, err := exec.CommandContext(ctx, "ffprobe", "-v", "error", "-show_entries",
			"stream=codec_name,width,height", "-of", "csv=p=0", file).Output()
		cancel()
		if err != nil {
			t.Fatalf("ffprobe %s: %v: %s", tr.Content, err, stderr(err))
		}
		want := map[string]string{"video": "h264,320,180", "audio": "aac"}[tr.Content]
		if got := strings.TrimSpace(string(out)); got != want {
			t.Errorf("ffprobe %s: %q, want %q", tr.Content, got, want)
		}
		ctx, cancel = context.WithTimeout(context.Background(), 30*time.Second)
		var errs bytes.Buffer
		cmd := exec.CommandContext(ctx, "ffmpeg", "-v", "error", "-nostdin", "-i", file, "-f", "null", "-")
		cmd.Stderr = &errs
		err = cmd.Run()
		cancel()
		if err != nil || strings.TrimSpace(errs.String()) != "" {
			t.Errorf("ffmpeg %s (%s bytes): %v: %s", tr.Content, strconv.Itoa(len(body)), err, errs.String())
		}
	}
}
