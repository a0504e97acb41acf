package chaos

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
)

// MakeClip encodes the publishers' clip into dir: 320x180 H.264 at 25 fps
// with a keyframe every second (GOP 25, no B-frames) and AAC, in MPEG-TS,
// seconds long. Publishers loop it.
func MakeClip(dir string, seconds int) (string, error) {
	path := filepath.Join(dir, "clip.ts")
	out, err := exec.Command("ffmpeg", "-v", "error", "-nostdin",
		"-f", "lavfi", "-i", fmt.Sprintf("testsrc=size=320x180:rate=25:duration=%d", seconds),
		"-f", "lavfi", "-i", fmt.Sprintf("sine=frequency=440:sample_rate=44100:duration=%d", seconds),
		"-c:v", "libx264", "-pix_fmt", "yuv420p", "-preset", "ultrafast", "-g", "25", "-keyint_min", "25",
		"-sc_threshold", "0", "-bf", "0", "-c:a", "aac", "-y", path).CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("ffmpeg clip: %w\n%s", err, out)
	}
	return path, nil
}

// Publisher is one ffmpeg process sending the looped clip at real-time
// pace (-re), stream-copied, to one URL.
type Publisher struct {
	Clip   string
	Format string // "flv" (RTMP) or "mpegts" (UDP, SRT)
	URL    string
	Log    string

	mu   sync.Mutex
	cmd  *exec.Cmd
	done chan struct{}
}

// Start runs ffmpeg; a running one is left alone.
func (p *Publisher) Start() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cmd != nil {
		return nil
	}
	log, err := os.OpenFile(p.Log, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	cmd := exec.Command("ffmpeg", "-v", "error", "-nostdin", "-re", "-stream_loop", "-1", "-i", p.Clip,
		"-c", "copy", "-f", p.Format, p.URL)
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		_ = log.Close() // the start error is the one to report
		return err
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); _ = log.Close(); close(done) }()
	p.cmd, p.done = cmd, done
	return nil
}

// Kill SIGKILLs ffmpeg (its connections die with it) and waits.
func (p *Publisher) Kill() {
	p.mu.Lock()
	cmd, done := p.cmd, p.done
	p.cmd, p.done = nil, nil
	p.mu.Unlock()
	if cmd == nil {
		return
	}
	_ = cmd.Process.Signal(syscall.SIGKILL)
	<-done
}
