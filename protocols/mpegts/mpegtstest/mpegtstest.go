// Package mpegtstest makes MPEG-TS test material with the ffmpeg program,
// for the tests of the packages that read TS (mpegts, udp, tshttp, file,
// srt). Tests that use it are skipped where ffmpeg is not installed.
package mpegtstest

import (
	"bytes"
	"os/exec"
	"strings"
	"sync"
	"testing"
)

var (
	mu    sync.Mutex
	cache = map[string][]byte{}
)

// FFmpeg runs ffmpeg with args (output to "-" or a file) and returns what
// it wrote to stdout. Results are cached per argument list for the life
// of the test binary, so tests may ask for the same clip freely; callers
// must not modify the returned bytes.
func FFmpeg(t testing.TB, args ...string) []byte {
	t.Helper()
	path, err := exec.LookPath("ffmpeg")
	if err != nil {
		t.Skip("ffmpeg not installed")
	}
	key := strings.Join(args, "\x00")
	mu.Lock()
	defer mu.Unlock()
	if out, ok := cache[key]; ok {
		return out
	}
	cmd := exec.Command(path, append([]string{"-hide_banner", "-loglevel", "error", "-nostdin"}, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("ffmpeg %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	cache[key] = stdout.Bytes()
	return stdout.Bytes()
}

// Source names the lavfi inputs of a clip: a 320x180 test pattern at 25
// fps and a 1 kHz tone at 48 kHz, mono.
func Source(seconds string) []string {
	return []string{
		"-f", "lavfi", "-i", "testsrc=size=320x180:rate=25:duration=" + seconds,
		"-f", "lavfi", "-i", "sine=frequency=1000:sample_rate=48000:duration=" + seconds,
	}
}

// H264AAC returns an MPEG-TS clip of the given length ("2", "0.5"): the
// Source pattern in H.264 (one keyframe a second, no B-frames) and AAC-LC,
// muxed by ffmpeg (PMT PID 0x1000, video PID 0x100, audio PID 0x101).
func H264AAC(t testing.TB, seconds string) []byte {
	t.Helper()
	args := append(Source(seconds),
		"-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-bf", "0", "-pix_fmt", "yuv420p",
		"-c:a", "aac", "-b:a", "64k", "-f", "mpegts", "-")
	return FFmpeg(t, args...)
}

// MPTS returns one second of a two-program stream: program 1 holds
// 320x180 H.264 (PID 0x100) and AAC (PID 0x102) with its PMT on 0x1000,
// program 2 holds 160x96 H.264 (PID 0x101) with its PMT on 0x1001.
func MPTS(t testing.TB) []byte {
	t.Helper()
	return FFmpeg(t,
		"-f", "lavfi", "-i", "testsrc=size=320x180:rate=25:duration=1",
		"-f", "lavfi", "-i", "testsrc2=size=160x96:rate=25:duration=1",
		"-f", "lavfi", "-i", "sine=sample_rate=48000:duration=1",
		"-map", "0:v", "-map", "1:v", "-map", "2:a",
		"-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-pix_fmt", "yuv420p", "-c:a", "aac",
		"-program", "program_num=1:st=0:st=2", "-program", "program_num=2:st=1",
		"-f", "mpegts", "-")
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
