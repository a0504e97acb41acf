package benchkit

import (
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"

	"streamhive/bench/internal/rtmppub"
)

// EncodeSample makes seconds of 1280x720 H.264 and AAC at about 4 Mbit/s
// in all (constant-rate MPEG-TS) as dir/sample.ts, once per run, so that
// publishing it costs no encoder. x264 are more encoder options (such as
// "-bf", "0": no B-frames).
func EncodeSample(ctx context.Context, dir string, seconds int, x264 ...string) (string, error) {
	path := filepath.Join(dir, "sample.ts")
	d := fmt.Sprint(seconds)
	args := []string{
		"-v", "error", "-nostdin",
		"-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=25:duration=" + d,
		"-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=" + d,
		"-c:v", "libx264", "-preset", "veryfast", "-g", "50", "-pix_fmt", "yuv420p",
		"-b:v", "3800k", "-minrate", "3800k", "-maxrate", "3800k", "-bufsize", "3800k", "-x264-params", "nal-hrd=cbr",
	}
	args = append(args, x264...)
	args = append(args, "-c:a", "aac", "-b:a", "128k", "-f", "mpegts", "-muxrate", "4000k", "-y", path)
	cmd := exec.CommandContext(ctx, "ffmpeg", args...)
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("ffmpeg: %w\n%s", err, out)
	}
	return path, nil
}

// RemuxFLV copies the TS sample's streams into an FLV file next to it (no
// encoding: RTMP publishers send the same H.264 and AAC).
func RemuxFLV(ctx context.Context, ts string) (string, error) {
	path := strings.TrimSuffix(ts, ".ts") + ".flv"
	cmd := exec.CommandContext(ctx, "ffmpeg", "-v", "error", "-nostdin", "-i", ts, "-c", "copy", "-f", "flv", "-y", path)
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("ffmpeg remuxing to FLV: %w\n%s", err, out)
	}
	return path, nil
}

// RTMPSample is the pre-encoded sample (EncodeSample's, with x264's extra
// options) remuxed to FLV and loaded for RTMP publishers.
func RTMPSample(ctx context.Context, dir string, seconds int, x264 ...string) (*rtmppub.Sample, error) {
	ts, err := EncodeSample(ctx, dir, seconds, x264...)
	if err != nil {
		return nil, err
	}
	flv, err := RemuxFLV(ctx, ts)
	if err != nil {
		return nil, err
	}
	return rtmppub.LoadFLV(flv)
}
