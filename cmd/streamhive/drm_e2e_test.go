//go:build e2e

package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os/exec"
	"testing"
	"time"

	"streamhive/media/mediatest"
	"streamhive/protocols/cpix/cpixtest"
)

// TestProtectedStreamPlaysInBrowser: a stream published by ffmpeg with a
// `drm cpix` line whose keys rotate every minute (expires=1) plays in
// headless Chromium as AES-128 HLS with hls.js, the key from our key URI,
// and as DASH (cenc) with dash.js and ClearKey, the licenses from our
// /NAME/drm/clearkey, across a rotation; what cannot be encrypted (HTTP
// MPEG-TS, the preview, RTMP play) is refused.
func TestProtectedStreamPlaysInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("real-browser test")
	}
	ks := cpixtest.New("seed")
	t.Cleanup(ks.Close)
	port, rtmpPort := freePort(t), freePort(t)
	conf := fmt.Sprintf("rtmp 127.0.0.1:%d;\nstream paid { input publish://; segment_duration 1; drm cpix keyserver=%s/cpix expires=1; }\n",
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

	hls := func(t *testing.T) { playsInBrowser(t, "hls", p.base+"/paid/index.m3u8") }
	dash := func(t *testing.T) { playsAcrossRotation(t, p.base+"/paid/index.mpd") }
	// The DASH check waits for a rotation: HLS plays first when that
	// shortens the wait (it takes about 20 s).
	if rotationWait(0) <= rotationWait(20*time.Second) {
		t.Run("dash", dash)
		t.Run("hls", hls)
		return
	}
	t.Run("hls", hls)
	t.Run("dash", dash)
}

// rotationWait is how long a player ready after `after` from now must
// wait to start 8 to 14 s before the next rotation of expires=1's keys (each
// minute on the clock); negative: none. 8 s at least: dash.js starts in
// the Period before it on a busy machine too.
func rotationWait(after time.Duration) time.Duration {
	until := time.Until(time.Now().Truncate(time.Minute).Add(time.Minute)) - after
	for until < 8*time.Second {
		until += time.Minute
	}
	return until - 14*time.Second
}

// playsAcrossRotation plays src, a protected live MPD whose keys rotate
// on each minute of the clock, in headless Chromium with dash.js and
// ClearKey from a few seconds before a rotation: the MPD gains a Period
// for the next key, and dash.js must switch to it, get its license and
// play 4 s more.
func playsAcrossRotation(t *testing.T, src string) {
	t.Helper()
	time.Sleep(rotationWait(0)) // at once when negative
	pp := servePlayer(t)
	chromium(t, pp.base+"/player.html?kind=dash&src="+url.QueryEscape(src))
	var rep playerReport
	var switched float64 // the player's time when it reached the second Period
	played := mediatest.Eventually(45*time.Second, func() bool {
		rep = pp.report()
		if rep.Error != "" {
			t.Fatalf("dash player error: %s; log %q", rep.Error, rep.Log)
		}
		if switched == 0 && len(rep.Periods) >= 2 {
			switched = rep.CurrentTime
		}
		return switched > 0 && rep.CurrentTime-switched >= 4 && rep.VideoWidth > 0 && !rep.Paused
	})
	if !played {
		t.Fatalf("dash.js did not play 4 s past a key rotation within 45 s; last report %+v", rep)
	}
	if rep.Periods[0] == rep.Periods[len(rep.Periods)-1] {
		t.Errorf("dash.js switched back to the Period it started in: %q", rep.Periods)
	}
	if rep.Licenses < 2 {
		t.Errorf("dash.js got %d licenses; want one per key (2)", rep.Licenses)
	}
	t.Logf("dash: Periods %q, %d licenses, played to %.1f s (switch at %.1f s)", rep.Periods, rep.Licenses, rep.CurrentTime, switched)
}
