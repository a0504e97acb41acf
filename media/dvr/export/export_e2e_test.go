//go:build e2e

package export

import (
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

func needTools(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("ffmpeg tests take seconds")
	}
	for _, tool := range []string{"ffprobe", "ffmpeg"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed", tool)
		}
	}
}

// probeDuration returns ffprobe's format duration of path.
func probeDuration(t *testing.T, path string) time.Duration {
	t.Helper()
	out, err := exec.Command("ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", path).CombinedOutput()
	if err != nil {
		t.Fatalf("ffprobe: %v: %s", err, out)
	}
	secs, err := strconv.ParseFloat(strings.TrimSpace(string(out)), 64)
	if err != nil {
		t.Fatalf("ffprobe duration %q: %v", out, err)
	}
	return time.Duration(secs * float64(time.Second))
}

// ffmpegClean runs ffmpeg with args and fails on an exit error or any
// error line.
func ffmpegClean(t *testing.T, args ...string) {
	t.Helper()
	cmd := exec.Command("ffmpeg", append([]string{"-v", "error", "-nostdin"}, args...)...)
	out, err := cmd.CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "" {
		t.Errorf("ffmpeg %v: %v:\n%s", args, err, out)
	}
}

func near(t *testing.T, what string, got, want, tol time.Duration) {
	t.Helper()
	if got < want-tol || got > want+tol {
		t.Errorf("%s: %v, want %v ± %v", what, got, want, tol)
	}
}

// TestWriteMP4Plays: 20 s recorded export to an MP4 that ffprobe reads as
// 20 s (within a segment), ffmpeg decodes without an error line, and
// ffmpeg can seek into.
func TestWriteMP4Plays(t *testing.T) {
	needTools(t)
	a := record(t, [2]time.Duration{0, 20 * time.Second})
	path := writeFile(t, a, t0, t0.Add(20*time.Second))
	near(t, "duration", probeDuration(t, path), 20*time.Second, 2*time.Second)
	ffmpegClean(t, "-i", path, "-f", "null", "-")
	ffmpegClean(t, "-ss", "5", "-i", path, "-t", "1", "-f", "null", "-")
	ffmpegClean(t, "-ss", "15", "-i", path, "-t", "1", "-f", "null", "-")
}

// TestWriteMP4Gap: two runs with 6 s between them (a restart: the second
// run's timestamps start again at zero) play as one file whose timeline
// keeps the gap: 10 + 6 + 8 s.
func TestWriteMP4Gap(t *testing.T) {
	needTools(t)
	a := record(t, [2]time.Duration{0, 10 * time.Second}, [2]time.Duration{16 * time.Second, 8 * time.Second})
	path := writeFile(t, a, t0, t0.Add(time.Minute))
	near(t, "duration", probeDuration(t, path), 24*time.Second, 2*time.Second)
	ffmpegClean(t, "-i", path, "-f", "null", "-")
	ffmpegClean(t, "-ss", "18", "-i", path, "-t", "1", "-f", "null", "-")
}
