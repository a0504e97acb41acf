//go:build e2e

package play

import (
	"bytes"
	"context"
	"image/jpeg"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestArchiveFFmpeg: ffprobe and ffmpeg read the archive URLs of a 20 s
// recording: the HLS master (TS and fMP4) and the DASH manifest decode;
// the continuous .ts and the .mp4 download last the 20 s recorded (within
// a segment) and decode without an error line; the MP4 seeks; the .ts of
// a recording with a restart and an epoch change decodes too (the joiner
// keeps its continuity counters and timestamps running); a thumbnail is a
// JPEG.
func TestArchiveFFmpeg(t *testing.T) {
	t.Parallel()
	needTools(t)
	ah := newArchiveHarness(t)
	for _, f := range []string{"index-%d-20.m3u8", "archive-%d-20.fmp4.m3u8", "index-%d-20.mpd"} {
		url := ah.base + arcPath("clean", f, 0)
		probe(t, url)
		decode(t, url, 3)
	}
	// A streamed .ts has no length to seek by: ffprobe reads its duration
	// from a saved copy; ffmpeg decodes it over HTTP.
	ts := ah.base + arcPath("clean", "archive-%d-20.ts", 0)
	nearSeconds(t, ts, probeSeconds(t, saved(t, ts, "a.ts")), 20)
	decodeAll(t, ts)
	gappy := ah.base + arcPath("gappy", "archive-%d-40.ts", 0)
	nearSeconds(t, gappy, probeSeconds(t, saved(t, gappy, "g.ts")), 34)
	decodeAll(t, gappy)

	resp, body := fetch(t, ah.base+arcPath("clean", "archive-%d-20.mp4", 0))
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment;") || resp.ContentLength != int64(len(body)) {
		t.Fatalf("mp4: %d %q, length %d for %d bytes", resp.StatusCode, resp.Header.Get("Content-Disposition"), resp.ContentLength, len(body))
	}
	file := filepath.Join(t.TempDir(), "a.mp4")
	if err := os.WriteFile(file, body, 0o600); err != nil {
		t.Fatal(err)
	}
	nearSeconds(t, file, probeSeconds(t, file), 20)
	decodeAll(t, file)
	decodeAll(t, file, "-ss", "5", "-t", "1")

	resp, body = fetch(t, ah.base+arcPath("clean", "%d.jpg", 5))
	if _, err := jpeg.Decode(bytes.NewReader(body)); resp.StatusCode != 200 || err != nil {
		t.Errorf("thumbnail: %d %v", resp.StatusCode, err)
	}
	decodeAll(t, saved(t, ah.base+arcPath("clean", "%d-preview.mp4", 5), "p.mp4")) // the archived keyframe as MP4
}

// saved downloads url into a file named name and returns its path.
func saved(t *testing.T, url, name string) string {
	t.Helper()
	resp, body := fetch(t, url)
	if resp.StatusCode != 200 {
		t.Fatalf("%s: %d: %s", url, resp.StatusCode, body)
	}
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, body, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// probeSeconds returns ffprobe's duration of url.
func probeSeconds(t *testing.T, url string) float64 {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", url).Output()
	if err != nil {
		t.Fatalf("ffprobe %s: %v: %s", url, err, stderr(err))
	}
	s, err := strconv.ParseFloat(strings.TrimSpace(string(out)), 64)
	if err != nil {
		t.Fatalf("ffprobe %s: duration %q", url, out)
	}
	return s
}

// nearSeconds checks a duration against want within one 2 s segment.
func nearSeconds(t *testing.T, what string, got, want float64) {
	t.Helper()
	if got < want-2 || got > want+2 {
		t.Errorf("%s lasts %.2f s, want %.0f ± 2", what, got, want)
	}
}

// decodeAll has ffmpeg decode url (input options before it, output
// options after) with not a single error line.
func decodeAll(t *testing.T, url string, opts ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var in, out []string
	if len(opts) >= 2 && opts[0] == "-ss" {
		in, out = opts[:2], opts[2:]
	} else {
		out = opts
	}
	args := append(append([]string{"-v", "error", "-nostdin"}, in...), "-i", url)
	args = append(append(args, out...), "-f", "null", "-")
	b, err := exec.CommandContext(ctx, "ffmpeg", args...).CombinedOutput()
	if err != nil || strings.TrimSpace(string(b)) != "" {
		t.Errorf("ffmpeg %v: %v:\n%s", args, err, b)
	}
}
