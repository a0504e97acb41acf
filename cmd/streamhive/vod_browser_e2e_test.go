//go:build e2e

package main

import (
	"net"
	"net/url"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	gwvod "streamhive/gateway/vod"
	"streamhive/media/vod"
	"streamhive/media/vod/vodtest"
)

// vodFolder serves one VOD location, "vod", from a folder.
type vodFolder struct{ dir string }

func (f vodFolder) Location(name string) (vod.Storage, bool) {
	return vodtest.Dir{Root: f.dir}, name == "vod"
}

// TestBrowserPlaysVOD: a 10-minute file (160x90, 10 fps, 2 s GOPs, made
// here by ffmpeg from a 20 s clip) served by gateway/vod plays in headless
// Chromium with hls.js and with dash.js, including a seek to its middle:
// playback resumes there and advances.
func TestBrowserPlaysVOD(t *testing.T) {
	if testing.Short() {
		t.Skip("real-browser test")
	}
	dir := t.TempDir()
	// 20 s encoded once, then copied 30 times over: the encode of ten
	// minutes was most of the test's time.
	clip := filepath.Join(dir, "clip.mp4")
	for _, args := range [][]string{
		{
			"-f", "lavfi", "-i", "testsrc2=size=160x90:rate=10", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=22050", "-t", "20",
			"-c:v", "libx264", "-preset", "ultrafast", "-g", "20", "-pix_fmt", "yuv420p", "-c:a", "aac", "-ac", "1", "-b:a", "24k", clip,
		},
		{"-stream_loop", "29", "-i", clip, "-c", "copy", filepath.Join(dir, "ten.mp4")},
	} {
		out, err := exec.Command("ffmpeg", append([]string{"-nostdin", "-v", "error"}, args...)...).CombinedOutput()
		if err != nil {
			t.Fatalf("ffmpeg: %v\n%s", err, out)
		}
	}
	h := gwvod.New(gwvod.Options{Locations: vodFolder{dir}})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &fasthttp.Server{Handler: func(rc *fasthttp.RequestCtx) {
		if !h.Serve(rc) {
			rc.SetStatusCode(fasthttp.StatusNotFound)
		}
	}}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Shutdown() })
	base := "http://" + ln.Addr().String() + "/vod/ten.mp4/"
	for _, c := range []struct{ kind, path string }{{"hls", "index.m3u8"}, {"dash", "manifest.mpd"}} {
		t.Run(c.kind, func(t *testing.T) {
			t.Parallel() // two browsers at once: most of each one's time is its start
			seeksInBrowser(t, c.kind, base+c.path, 300)
		})
	}
}

// seeksInBrowser plays src in headless Chromium, which jumps to at once
// playing; it passes when a second has played from there at a video size,
// or fails after 45 s.
func seeksInBrowser(t *testing.T, kind, src string, at float64) {
	t.Helper()
	pp := servePlayer(t)
	chromium(t, pp.base+"/player.html?kind="+kind+"&seek="+strconv.FormatFloat(at, 'f', -1, 64)+"&src="+url.QueryEscape(src))
	var rep playerReport
	resumed := 0.0
	deadline := time.Now().Add(45 * time.Second)
	for time.Now().Before(deadline) {
		time.Sleep(250 * time.Millisecond) // the page reports on its own clock
		rep = pp.report()
		if rep.Error != "" {
			t.Fatalf("%s player error: %s (log %v)", kind, rep.Error, rep.Log)
		}
		if resumed == 0 && rep.CurrentTime >= at && rep.CurrentTime < at+10 {
			resumed = rep.CurrentTime
		}
		if resumed > 0 && rep.CurrentTime >= resumed+1 && rep.VideoWidth > 0 {
			t.Logf("%s: resumed at %.1f s after the seek to %.0f, playing at %.1f s, %dx%d", kind, resumed, at, rep.CurrentTime, rep.VideoWidth, rep.VideoHeight)
			return
		}
	}
	t.Fatalf("%s: no second played after the seek to %.0f s within 45 s; last report %+v", kind, at, rep)
}
