//go:build e2e

package udp

import (
	"fmt"
	"os/exec"
	"testing"
	"time"

	"streamhive/media"
	"streamhive/protocols/mpegts/mpegtstest"
)

// ffmpegSend runs ffmpeg publishing a real-time test pattern to dest
// until the test ends.
func ffmpegSend(t *testing.T, dest string) {
	t.Helper()
	path, err := exec.LookPath("ffmpeg")
	if err != nil {
		t.Skip("ffmpeg not installed")
	}
	args := append([]string{"-hide_banner", "-loglevel", "error", "-nostdin", "-re"}, mpegtstest.Source("5")...)
	args = append(args, "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-pix_fmt", "yuv420p",
		"-c:a", "aac", "-f", "mpegts", dest)
	cmd := exec.Command(path, args...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
}

// checkFFmpegStream checks what a pull of ffmpegSend's pattern recorded.
func checkFFmpegStream(t *testing.T, p *pull) {
	t.Helper()
	p.rec.WaitFor(t, 10*time.Second, p.done, "1.2 s of video", mpegtstest.Frames(0, 30))
	p.stop(t)
	tracks, frames, calls := p.rec.Snapshot()
	if calls != 1 || len(tracks) != 2 || tracks[0].Codec != media.CodecH264 || tracks[0].Width != 320 ||
		tracks[1].Codec != media.CodecAAC || tracks[1].SampleRate != 48000 {
		t.Fatalf("published %d times, tracks %+v", calls, tracks)
	}
	if f := frames[0]; f.Track != 0 || !f.Keyframe || f.DTS != 0 {
		t.Errorf("first frame %+v, want the video keyframe at 0", f)
	}
	mpegtstest.CheckMonotonic(t, frames)
	s := &p.stats.TS
	if p.stats.Bytes.Load() == 0 || s.Packets.Load() == 0 || s.CCErrors.Load() != 0 || s.SyncErrors.Load() != 0 {
		t.Errorf("stats: %d bytes, %d packets, %d CC errors, %d sync errors",
			p.stats.Bytes.Load(), s.Packets.Load(), s.CCErrors.Load(), s.SyncErrors.Load())
	}
	if got := p.stats.Frames.Load(); got < uint64(len(frames)) {
		t.Errorf("stats count %d frames, the sink got %d", got, len(frames))
	}
}

func TestUnicastFromFFmpeg(t *testing.T) {
	port := freePort(t)
	p := startPull(t, fmt.Sprintf("udp://127.0.0.1:%d", port), nil)
	ffmpegSend(t, fmt.Sprintf("udp://127.0.0.1:%d?pkt_size=1316", port))
	checkFFmpegStream(t, p)
}

// TestMulticastFromFFmpeg joins a group on the loopback interface (the
// /IFACE_IP form) and receives ffmpeg's multicast, sent there with TTL 0.
// Linux delivers it although lo lacks the MULTICAST flag, because ffmpeg
// sends with IP_MULTICAST_IF set to 127.0.0.1 and multicast loopback on.
func TestMulticastFromFFmpeg(t *testing.T) {
	g, port := group(), freePort(t)
	p := startPull(t, fmt.Sprintf("udp://%s:%d/127.0.0.1", g, port), nil)
	ffmpegSend(t, fmt.Sprintf("udp://%s:%d?localaddr=127.0.0.1&pkt_size=1316&ttl=0", g, port))
	checkFFmpegStream(t, p)
}
