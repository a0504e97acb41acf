package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
)

// makeFiles encodes one file with ffmpeg and copies it -files times: every
// copy is another file to the server (opened and cut on its own).
func makeFiles(ctx context.Context, dir string, o options) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	first := filepath.Join(dir, "f0.mp4")
	out, err := exec.CommandContext(ctx, "ffmpeg", "-nostdin", "-v", "error", "-y",
		"-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
		"-t", strconv.Itoa(o.seconds), "-c:v", "libx264", "-preset", "ultrafast", "-b:v", o.bitrate, "-g", "50",
		"-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "64k", first).CombinedOutput()
	if err != nil {
		return fmt.Errorf("ffmpeg: %w\n%s", err, out)
	}
	body, err := os.ReadFile(first)
	if err != nil {
		return err
	}
	for i := 1; i < o.files; i++ {
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("f%d.mp4", i)), body, 0o644); err != nil {
			return err
		}
	}
	return nil
}
