// Package mpegtstest provides MPEG-TS test material for the tests of the
// packages that read TS (mpegts, udp, tshttp, file, srt): short clips made
// by ffmpeg once and committed (testdata/make.sh makes them again), and,
// for the end-to-end tests, helpers that run the ffmpeg program. Tests
// that use those are skipped where ffmpeg is not installed.
package mpegtstest

import (
	"embed"
	"os/exec"
	"strings"
	"testing"
)

//go:embed testdata/*.ts
var clips embed.FS

// clip returns the committed clip name; callers must not modify it.
func clip(t testing.TB, name string) []byte {
	t.Helper()
	b, err := clips.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatalf("mpegtstest: %v", err)
	}
	return b
}

// Source names the lavfi inputs of a clip: a 320x180 test pattern at 25
// fps and a 1 kHz tone at 48 kHz, mono.
func Source(seconds string) []string {
	return []string{
		"-f", "lavfi", "-i", "testsrc=size=320x180:rate=25:duration=" + seconds,
		"-f", "lavfi", "-i", "sine=frequency=1000:sample_rate=48000:duration=" + seconds,
	}
}

// H264AAC returns the committed MPEG-TS clip of the given length ("1" or
// "2" seconds): the Source pattern in H.264 (one keyframe a second, no
// B-frames) and AAC-LC, muxed by ffmpeg (PMT PID 0x1000, video PID 0x100,
// audio PID 0x101).
func H264AAC(t testing.TB, seconds string) []byte {
	t.Helper()
	return clip(t, "h264aac-"+seconds+"s.ts")
}

// MPTS returns the committed second of a two-program stream: program 1
// holds 320x180 H.264 (PID 0x100) and AAC (PID 0x102) with its PMT on
// 0x1000, program 2 holds 160x96 H.264 (PID 0x101) with its PMT on 0x1001.
func MPTS(t testing.TB) []byte {
	t.Helper()
	return clip(t, "mpts.ts")
}

// H265Opus returns the committed second of the Source pattern in H.265
// (one keyframe) and Opus.
func H265Opus(t testing.TB) []byte {
	t.Helper()
	return clip(t, "h265opus-1s.ts")
}

// Wrap returns the committed 2 s of the Source pattern (H.264 with
// B-frames, AAC) whose timestamps wrap at 2^33 about 1.3 s in.
func Wrap(t testing.TB) []byte {
	t.Helper()
	return clip(t, "wrap-2s.ts")
}

// FFmpegFile runs ffmpeg with args writing to path (for containers that
// need a seekable output, such as MP4), and returns path.
func FFmpegFile(t testing.TB, path string, args ...string) string {
	t.Helper()
	ffmpeg, err := exec.LookPath("ffmpeg")
	if err != nil {
		t.Skip("ffmpeg not installed")
	}
	cmd := exec.Command(ffmpeg, append(append([]string{"-hide_banner", "-loglevel", "error", "-nostdin"}, args...), "-y", path)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("ffmpeg %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return path
}
