//go:build e2e

package play

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestPreviewMP4FFmpeg: ffmpeg decodes preview.mp4's first video frame
// without an error line.
func TestPreviewMP4FFmpeg(t *testing.T) {
	needTools(t)
	hr := newHarness(t)
	_, body := hr.get(t, "/live/bunny/preview.mp4")
	file := filepath.Join(t.TempDir(), "preview.mp4")
	if err := os.WriteFile(file, body, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("ffmpeg", "-v", "error", "-nostdin", "-i", file, "-frames:v", "1", "-f", "null", "-").CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "" {
		t.Errorf("ffmpeg decode of preview.mp4: %v\n%s", err, out)
	}
	out, err = exec.Command("ffprobe", "-v", "error", "-show_entries", "stream=codec_name,width,height", "-of", "csv=p=0", file).Output()
	if err != nil || strings.TrimSpace(string(out)) != "h264,320,180" {
		t.Errorf("ffprobe preview.mp4: %v %q, want one H.264 320x180 stream", err, out)
	}
}
