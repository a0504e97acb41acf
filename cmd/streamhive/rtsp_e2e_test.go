//go:build e2e

package main

import (
	"context"
	"fmt"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"streamhive/protocols/rtsp/rtsptest"
)

// TestRTSPPlaysOverHLS: the real ffmpeg publishes RTSP over TCP and over
// UDP into publish:// streams, and two streams pull a camera (gortsplib's
// server fed by ffmpeg) over TCP and UDP; every stream plays over HLS and
// its first three seconds decode with ffmpeg without an error.
func TestRTSPPlaysOverHLS(t *testing.T) {
	if testing.Short() {
		t.Skip("seconds of real media")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cam := rtsptest.StartCamera(t)
	feed := rtsptest.FFmpeg(ctx, t, "rtsp://"+cam.Addr+"/src", "tcp", rtsptest.X264(true), "aac", 20*time.Second)
	if err := feed.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = feed.Process.Kill(); _ = feed.Wait() })
	cam.WaitPublishing(t, 5*time.Second)

	port, rtspPort := freePort(t), freePort(t)
	conf := fmt.Sprintf(`rtsp 127.0.0.1:%d;
stream pub_tcp { input publish://; segment_duration 1; }
stream pub_udp { input publish://; segment_duration 1; }
stream pull_tcp { input rtsp://%s/a; segment_duration 1; }
stream pull_udp { input rtsp://%s/b rtp=udp; segment_duration 1; }
`, rtspPort, cam.Addr, cam.Addr)
	p := start(t, port, "-config", writeConfig(t, t.TempDir(), port, conf))

	for _, transport := range []string{"tcp", "udp"} {
		url := fmt.Sprintf("rtsp://127.0.0.1:%d/pub_%s", rtspPort, transport)
		pub := rtsptest.FFmpeg(ctx, t, url, transport, rtsptest.X264(true), "aac", 20*time.Second)
		if err := pub.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = pub.Process.Kill(); _ = pub.Wait() })
	}

	names := []string{"pub_tcp", "pub_udp", "pull_tcp", "pull_udp"}
	for _, name := range names {
		waitPlaylist(t, p.base+"/"+name+"/mono.m3u8")
	}
	var wg sync.WaitGroup
	for _, name := range names {
		wg.Go(func() {
			url := p.base + "/" + name + "/index.m3u8"
			out, err := exec.CommandContext(ctx, "ffmpeg", "-v", "error", "-i", url, "-t", "3", "-f", "null", "-").CombinedOutput()
			if err != nil || strings.TrimSpace(string(out)) != "" {
				t.Errorf("ffmpeg decode %s: %v\n%s", url, err, out)
			}
		})
	}
	wg.Wait()
}
