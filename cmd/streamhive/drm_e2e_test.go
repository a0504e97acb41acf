//go:build e2e

package main

import (
	"context"
	"fmt"
	"net/http"
	"os/exec"
	"testing"
	"time"

	"streamhive/protocols/cpix/cpixtest"
)

// TestProtectedStreamPlaysInBrowser: a stream published by ffmpeg with a
// `drm cpix` line plays in headless Chromium as DASH (cenc) with dash.js
// and ClearKey, the license from our /NAME/drm/clearkey, and as AES-128
// HLS with hls.js, the key from our key URI; what cannot be encrypted
// (HTTP MPEG-TS, the preview, RTMP play) is refused.
func TestProtectedStreamPlaysInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("real-browser test")
	}
	ks := cpixtest.New("seed")
	t.Cleanup(ks.Close)
	port, rtmpPort := freePort(t), freePort(t)
	conf := fmt.Sprintf("rtmp 127.0.0.1:%d;\nstream paid { input publish://; segment_duration 1; drm cpix keyserver=%s/cpix; }\n",
		rtmpPort, ks.URL)
	p := start(t, port, "-config", writeConfig(t, t.TempDir(), port, conf))
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	publishRTMP(ctx, t, fmt.Sprintf("rtmp://127.0.0.1:%d/live/paid", rtmpPort), "320x180", 110)
	waitPlaylist(t, p.base+"/paid/mono.m3u8")

	for _, path := range []string{"/paid/mpegts", "/paid/preview.jpg"} {
		if code, b := getURL(t, p.base+path); code != http.StatusForbidden {
			t.Errorf("%s: %d %.200s, want 403", path, code, b)
		}
	}
	rctx, rcancel := context.WithTimeout(ctx, 15*time.Second)
	defer rcancel()
	out, err := exec.CommandContext(rctx, "ffmpeg", "-v", "error", "-nostdin", "-i", fmt.Sprintf("rtmp://127.0.0.1:%d/live/paid", rtmpPort),
		"-t", "1", "-f", "null", "-").CombinedOutput()
	if err == nil {
		t.Errorf("RTMP play of a protected stream succeeded: %s", out)
	}

	for _, c := range []struct{ kind, path string }{{"dash", "/paid/index.mpd"}, {"hls", "/paid/index.m3u8"}} {
		t.Run(c.kind, func(t *testing.T) { playsInBrowser(t, c.kind, p.base+c.path) })
	}
}
