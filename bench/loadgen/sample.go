package main

import (
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
)

// sampleSpec describes the clip publishers replay: H.264 High (yuv420p),
// one keyframe a second, B-frames as x264 makes them by default, AAC
// stereo, 10 s, in FLV so its tags go to RTMP unchanged.
type sampleSpec struct {
	Size    string // WxH
	Bitrate string // video, ffmpeg syntax: "3M"
}

// generateSample encodes the clip once into dir with the ffmpeg on PATH and
// returns its path. The encoding is the only encoder time the load
// generator spends.
func generateSample(ctx context.Context, dir string, spec sampleSpec) (string, error) {
	path := filepath.Join(dir, "sample.flv")
	cmd := exec.CommandContext(ctx, "ffmpeg", "-v", "error", "-y",
		"-f", "lavfi", "-i", "testsrc2=size="+spec.Size+":rate=25",
		"-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
		"-t", "10", "-ac", "2",
		"-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p",
		"-b:v", spec.Bitrate, "-maxrate", spec.Bitrate, "-bufsize", spec.Bitrate,
		"-g", "25", "-keyint_min", "25", "-sc_threshold", "0",
		"-c:a", "aac", "-b:a", "128k",
		"-f", "flv", path)
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("ffmpeg making the sample: %w\n%s", err, out)
	}
	return path, nil
}
