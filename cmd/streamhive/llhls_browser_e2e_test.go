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
// headless Chromium with hls.js configured as MediaMTX's own player page
// configures it (lowLatencyMode, maxLiveSyncPlaybackRate 1.5) for 6 s
// without an error, and holds the median of hls.js's live latency over
// the last 3 s to maxLLHLSLatency. The bar is loose for a loaded CI
// machine: hls.js adds a second to its target after a stall, and catches
// up only while more than a second is buffered, so a slow first frame
// leaves it 2.3-2.6 s behind on either server (bench/latency measures
// the real figure beside MediaMTX). 3 s still fails the one-second parts
// this replaced (3.6 s).
func TestBrowserLLHLSLatency(t *testing.T) {
	const maxLLHLSLatency = 3 * time.Second
	if testing.Short() {
		t.Skip("real-browser test")
	}
	port := freePort(t)
	conf := fmt.Sprintf("rtmp 127.0.0.1:%d;\nstream ll { input fake://?fps=30&gop=30; segment_duration 1; }\n", freePort(t))
	p := start(t, port, "-config", writeConfig(t, t.TempDir(), port, conf))
	pp := servePlayer(t)
	chromium(t, pp.base+"/player.html?kind=hls&ll=1&sync=1.5&src="+url.QueryEscape(p.base+"/ll/index.ll.m3u8"))
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
	if med > maxLLHLSLatency {
		t.Errorf("hls.js's median live latency %v, want <= %v", med, maxLLHLSLatency)
	}
}
