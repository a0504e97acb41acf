//go:build e2e

package main

import (
	"fmt"
	"net/url"
	"slices"
	"testing"
	"time"

	"streamhive/media/mediatest"
)

// TestBrowserLLHLSLatency plays a stream's LL-HLS (200 ms parts) in
// headless Chromium with hls.js in lowLatencyMode for 6 s without an error
// and logs hls.js's live latency over the last 3 s. It does not hold the
// latency to the one-second goal yet: hls.js keeps the latency it started
// at (maxLiveSyncPlaybackRate 1), and where it starts varies from run to
// run (1.8 to 3.0 s measured here).
func TestBrowserLLHLSLatency(t *testing.T) {
	if testing.Short() {
		t.Skip("real-browser test")
	}
	port := freePort(t)
	conf := fmt.Sprintf("rtmp 127.0.0.1:%d;\nstream ll { input fake://?fps=30&gop=30; segment_duration 1; }\n", freePort(t))
	p := start(t, port, "-config", writeConfig(t, t.TempDir(), port, conf))
	pp := servePlayer(t)
	chromium(t, pp.base+"/player.html?kind=hls&ll=1&src="+url.QueryEscape(p.base+"/ll/index.ll.m3u8"))
	var first playerReport
	started := false
	var lat []float64
	mediatest.WaitFor(t, 45*time.Second, "6 s of LL-HLS playback in hls.js", func() bool {
		rep := pp.report()
		if rep.Error != "" {
			t.Fatalf("player error: %s", rep.Error)
		}
		if !started && rep.CurrentTime > 0 {
			first, started = rep, true
		}
		if started && rep.CurrentTime-first.CurrentTime >= 3 && rep.Latency > 0 {
			lat = append(lat, rep.Latency)
		}
		return started && rep.CurrentTime-first.CurrentTime >= 6
	})
	if len(lat) == 0 {
		t.Fatal("hls.js reported no latency")
	}
	slices.Sort(lat)
	med := time.Duration(lat[len(lat)/2] * float64(time.Second))
	t.Logf("hls.js live latency over LL-HLS: median %v, min %.3f s, max %.3f s (%d samples)", med, lat[0], lat[len(lat)-1], len(lat))
}
