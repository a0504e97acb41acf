//go:build e2e

package play

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestFFmpegPlays has the real ffprobe and ffmpeg read every playlist
// kind and the manifest over HTTP from the test server: the right codecs
// and picture size, and 3 s decoded without a single error line.
func TestFFmpegPlays(t *testing.T) {
	t.Parallel()
	needTools(t)
	hr := newHarness(t)
	for _, path := range []string{"index.m3u8", "mono.m3u8", "index.fmp4.m3u8", "index.ll.m3u8", "index.mpd"} {
		t.Run(path, func(t *testing.T) {
			url := hr.base + "/live/bunny/" + path
			probe(t, url)
			decode(t, url, 3)
		})
	}
}

// TestMPEGTSPlays reads the continuous MPEG-TS response with ffprobe and
// decodes 2 s of it with ffmpeg.
func TestMPEGTSPlays(t *testing.T) {
	t.Parallel()
	needTools(t)
	hr := newHarness(t)
	url := hr.base + "/live/bunny/mpegts"
	probe(t, url)
	// A live source probes in real time: a second of analysis will do.
	decode(t, url, 2, "-analyzeduration", "1000000")
}

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

// probe checks that ffprobe finds H.264 320x180 and AAC at url.
func probe(t *testing.T, url string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "ffprobe", "-v", "error", "-analyzeduration", "2000000",
		"-show_entries", "stream=codec_name,width,height", "-of", "json", url).Output()
	if err != nil {
		t.Fatalf("ffprobe %s: %v: %s", url, err, stderr(err))
	}
	var res struct {
		Streams []struct {
			CodecName     string `json:"codec_name"`
			Width, Height int
		}
	}
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("ffprobe output: %v: %s", err, out)
	}
	var video, audio bool
	for _, s := range res.Streams {
		switch s.CodecName {
		case "h264":
			video = true
			if s.Width != 320 || s.Height != 180 {
				t.Errorf("h264 is %dx%d, want 320x180", s.Width, s.Height)
			}
		case "aac":
			audio = true
		}
	}
	if !video || !audio {
		t.Errorf("ffprobe found %s, want h264 and aac", out)
	}
}

// decode has ffmpeg decode secs seconds of url (opened with the input
// options opts): it must decode the clip's 25 frames per second of them
// and print not a single error line.
func decode(t *testing.T, url string, secs int, opts ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	args := append([]string{"-v", "error", "-nostdin", "-progress", "pipe:1"}, opts...)
	args = append(args, "-i", url, "-t", strconv.Itoa(secs), "-f", "null", "-")
	cmd := exec.CommandContext(ctx, "ffmpeg", args...)
	var progress, errs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &progress, &errs
	if err := cmd.Run(); err != nil || strings.TrimSpace(errs.String()) != "" {
		t.Errorf("ffmpeg %s: %v:\n%s", url, err, errs.String())
	}
	frames := 0
	for line := range strings.Lines(progress.String()) {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "frame="); ok {
			frames, _ = strconv.Atoi(v)
		}
	}
	if want := 25 * secs; frames < want-1 {
		t.Errorf("ffmpeg %s: decoded %d video frames, want %d", url, frames, want)
	}
}

func stderr(err error) string {
	var e *exec.ExitError
	if errors.As(err, &e) {
		return string(e.Stderr)
	}
	return ""
}
