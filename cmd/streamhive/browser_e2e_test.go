//go:build e2e

package main

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"streamhive/media/mediatest"
)

// playerReport is what testdata/player/player.html posts every 250 ms.
type playerReport struct {
	CurrentTime float64  `json:"currentTime"`
	VideoWidth  int      `json:"videoWidth"`
	VideoHeight int      `json:"videoHeight"`
	Paused      bool     `json:"paused"`
	Error       string   `json:"error"`
	Log         []string `json:"log"`
	// Manifests counts manifest loads (dash.js manifestLoaded, hls.js
	// LEVEL_LOADED): a live player must keep reloading.
	Manifests int `json:"manifests"`
	// Periods are the ids of the Periods dash.js switched to (the first
	// one included), Licenses its license requests answered.
	Periods  []string `json:"periods"`
	Licenses int      `json:"licenses"`
	// Latency is hls.js's: seconds from the playhead to the live edge;
	// TargetLatency is where hls.js aims to hold it.
	Latency       float64 `json:"latency"`
	TargetLatency float64 `json:"targetLatency"`
	// Stalls counts waits for data once playing; StalledFor is their
	// seconds in all.
	Stalls     int     `json:"stalls"`
	StalledFor float64 `json:"stalledFor"`
}

// playerPage serves the player page, hls.js and dash.js from
// testdata/player (installed by `make test` with npm ci) and collects the
// page's reports.
type playerPage struct {
	base string
	reps pageReports[playerReport]
}

func servePlayer(t *testing.T) *playerPage {
	t.Helper()
	dir, _ := filepath.Abs("testdata/player")
	libs := map[string]string{
		"/lib/hls.min.js":      filepath.Join(dir, "node_modules/hls.js/dist/hls.min.js"),
		"/lib/dash.all.min.js": filepath.Join(dir, "node_modules/dashjs/dist/modern/umd/dash.all.min.js"),
	}
	for _, f := range libs {
		if _, err := os.Stat(f); err != nil {
			t.Fatalf("player library missing (run `make test`, which runs npm ci in %s): %v", dir, err)
		}
	}
	pp := &playerPage{}
	mux := http.NewServeMux()
	mux.HandleFunc("/player.html", func(w http.ResponseWriter, r *http.Request) {
		http.ServeFile(w, r, filepath.Join(dir, "player.html"))
	})
	for path, file := range libs {
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) { http.ServeFile(w, r, file) })
	}
	pp.base = serveTestPage(t, mux, &pp.reps)
	return pp
}

func (pp *playerPage) report() playerReport {
	last, _ := pp.reps.latest()
	return last
}

// chromium starts headless Chromium on url with the flags this sandbox
// needs, and extra ones (--ignore-certificate-errors for the https test).
func chromium(t *testing.T, pageURL string, extra ...string) {
	t.Helper()
	startChromium(t, t.TempDir(), pageURL, extra...)
}

// startChromium is chromium with its profile in userDir, where Chromium
// writes the DevTools port it picked (DevToolsActivePort).
func startChromium(t *testing.T, userDir, pageURL string, extra ...string) {
	t.Helper()
	bin, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatal("chromium not installed (make deps installs it)")
	}
	cmd := exec.Command(bin, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
		"--no-first-run", "--disable-background-networking", "--disable-component-update",
		"--disable-sync", "--autoplay-policy=no-user-gesture-required",
		"--remote-debugging-port=0", "--user-data-dir="+userDir)
	cmd.Args = append(append(cmd.Args, extra...), pageURL)
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
}

// TestBrowserPlaysDemo plays the demo stream (fake://) in headless Chromium
// with hls.js and with dash.js: currentTime advances at least 5 s and the
// video has a size.
func TestBrowserPlaysDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("real-browser test")
	}
	port := freePort(t)
	conf := fmt.Sprintf("rtmp 127.0.0.1:%d;\nstream demo { input fake://; }\n", freePort(t))
	p := start(t, port, "-config", writeConfig(t, t.TempDir(), port, conf))
	// Play a window that has slid, so the MPD's timeline has its lead-in.
	mediatest.WaitFor(t, 60*time.Second, "the segment window to slide", func() bool {
		return windowSlid(p.base + "/demo/mono.m3u8")
	})

	for _, c := range []struct{ kind, path string }{{"dash", "/demo/index.mpd"}, {"hls", "/demo/index.m3u8"}} {
		t.Run(c.kind, func(t *testing.T) { playsInBrowser(t, c.kind, p.base+c.path) })
	}
}

// playsInBrowser plays src in headless Chromium with the player page
// (kind "hls": hls.js, "dash": dash.js) until 5 s have played at a video
// size with the manifest reloaded at least twice, or fails after 45 s.
func playsInBrowser(t *testing.T, kind, src string) {
	t.Helper()
	pp := servePlayer(t)
	chromium(t, pp.base+"/player.html?kind="+kind+"&src="+url.QueryEscape(src))
	var first, rep playerReport
	started := false
	deadline := time.Now().Add(45 * time.Second)
	for time.Now().Before(deadline) {
		time.Sleep(250 * time.Millisecond) // the page reports on its own clock
		rep = pp.report()
		if rep.Error != "" {
			t.Fatalf("%s player error: %s", kind, rep.Error)
		}
		if !started && rep.CurrentTime > 0 {
			first, started = rep, true
		}
		// More than the first manifest's segments must have played: the
		// player reloaded the manifest at least twice meanwhile.
		if started && rep.CurrentTime-first.CurrentTime >= 5 && rep.VideoWidth > 0 && rep.Manifests >= 3 {
			t.Logf("%s: played %.1f s at %dx%d, %d manifest loads", kind, rep.CurrentTime-first.CurrentTime, rep.VideoWidth, rep.VideoHeight, rep.Manifests)
			return
		}
	}
	t.Fatalf("%s: no 5 s of playback within 45 s; last report %+v", kind, rep)
}
