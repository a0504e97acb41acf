//go:build e2e

package main

import (
	"fmt"
	"os"
	"slices"
	"testing"
	"time"

	"streamhive/media/mediatest"
)

// TestBrowserLLHLSLatency plays a stream's LL-HLS (200 ms parts) in
// headless Chromium through the stream's own embed page (the hls.js
// config and live-edge keeping its viewers get, in a website's iframe)
// for 6 s without an error, and holds the median of hls.js's live latency
// over the last 3 s to maxLLHLSLatency. The page holds PART-HOLD-BACK
// (0.6 s): 0.6-0.8 s on a 2-core machine at load 18 (bench/latency
// measures it beside MediaMTX); a stall adds 0.1 s to the target.
func TestBrowserLLHLSLatency(t *testing.T) {
	const maxLLHLSLatency = time.Second
	if testing.Short() {
		t.Skip("real-browser test")
	}
	port := freePort(t)
	conf := fmt.Sprintf("rtmp 127.0.0.1:%d;\nstream ll { input fake://?fps=30&gop=30; segment_duration 1; }\n", freePort(t))
	p := start(t, port, "-config", writeConfig(t, t.TempDir(), port, conf))
	pp := serveEmbedFrame(t, p.base+"/ll/embed.html")
	chromium(t, pp.base+"/frame.html")
	// The samples are the reports of the 3 s of wall time that begin 3 s
	// after the first frame: a player that started behind has caught up
	// by then (a seek to the live position that a loaded machine takes a
	// second to decode through moves currentTime at once, but not the
	// picture).
	var playing time.Time
	seen := 0
	var lat []float64
	mediatest.WaitFor(t, 45*time.Second, "6 s of LL-HLS playback in hls.js", func() bool {
		rep, seq := pp.reps.latest()
		if rep.Error != "" {
			t.Fatalf("player error: %s", rep.Error)
		}
		if playing.IsZero() && rep.CurrentTime > 0 {
			playing = time.Now()
		}
		if seq != seen && !playing.IsZero() && time.Since(playing) >= 3*time.Second && rep.Latency > 0 {
			lat = append(lat, rep.Latency) // each report once
		}
		if seq != seen && os.Getenv("LLHLS_DEBUG") != "" {
			t.Logf("%+v", rep)
		}
		seen = seq
		return !playing.IsZero() && time.Since(playing) >= 6*time.Second
	})
	if len(lat) == 0 {
		t.Fatal("hls.js reported no latency")
	}
	slices.Sort(lat)
	med := time.Duration(lat[len(lat)/2] * float64(time.Second))
	rep := pp.report()
	t.Logf("hls.js live latency over LL-HLS: median %v, min %.3f s, max %.3f s (%d samples); target %.2f s; %d stalls (%.2f s)",
		med, lat[0], lat[len(lat)-1], len(lat), rep.TargetLatency, rep.Stalls, rep.StalledFor)
	if med > maxLLHLSLatency {
		t.Errorf("hls.js's median live latency %v, want <= %v", med, maxLLHLSLatency)
	}
}
