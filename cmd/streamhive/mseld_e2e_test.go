//go:build e2e

package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/Eyevinn/mp4ff/mp4"

	"streamhive/gateway/web"
)

// mseldReport is what testdata/mseld/mseld.html posts every 250 ms.
type mseldReport struct {
	CurrentTime  float64  `json:"currentTime"`
	VideoWidth   int      `json:"videoWidth"`
	VideoHeight  int      `json:"videoHeight"`
	Frames       int      `json:"frames"` // decoded video frames
	PlaybackRate float64  `json:"playbackRate"`
	BufferedEnd  float64  `json:"bufferedEnd"`
	WallMs       int64    `json:"wallMs"` // Date.now() when currentTime was read
	Error        string   `json:"error"`
	Log          []string `json:"log"`
}

// mseldPage serves the MSE-LD test page, which loads the player under
// test from the server's own asset path (mseldPlayer), and collects the
// page's reports. The page measures what the embed page does not show
// (decoded frames, the playback rate, the buffer's end).
type mseldPage struct {
	base string
	reps pageReports[mseldReport]
}

// mseldPlayer is the path the binary serves the MSE-LD player at (the
// embed page's script, gateway/web).
const mseldPlayer = web.AssetPrefix + "mseld-player.js"

func serveMSELDPage(t *testing.T) *mseldPage {
	t.Helper()
	page, _ := filepath.Abs("testdata/mseld/mseld.html")
	pp := &mseldPage{}
	mux := http.NewServeMux()
	mux.HandleFunc("/mseld.html", func(w http.ResponseWriter, r *http.Request) { http.ServeFile(w, r, page) })
	pp.base = serveTestPage(t, mux, &pp.reps)
	return pp
}

func (pp *mseldPage) last() (mseldReport, int) { return pp.reps.latest() }

// TestBrowserPlaysMSELD plays the demo stream (fake://) over MSE-LD in
// headless Chromium with our player, in realtime mode and not: currentTime
// advances 5 s, frames are decoded, the video has the demo's size. In
// realtime mode it also measures the latency: the wall time of the frame
// on screen (from the stream's program date times) against the wall clock.
func TestBrowserPlaysMSELD(t *testing.T) {
	if testing.Short() {
		t.Skip("real-browser test")
	}
	port := freePort(t)
	// demo has the default 2 s segments (1 s parts); fast 1 s segments
	// (0.5 s parts): MSE-LD sends parts, so they bound its latency.
	conf := fmt.Sprintf("rtmp 127.0.0.1:%d;\nstream demo { input fake://; }\n"+
		"stream fast { input fake://; segment_duration 1; }\n", freePort(t))
	p := start(t, port, "-config", writeConfig(t, t.TempDir(), port, conf))

	for _, tc := range []struct{ stream, realtime string }{{"demo", "0"}, {"demo", "1"}, {"fast", "1"}} {
		t.Run(tc.stream+"/realtime="+tc.realtime, func(t *testing.T) {
			realtime := tc.realtime
			ws := "ws" + strings.TrimPrefix(p.base, "http") + "/" + tc.stream + "/mse_ld"
			pp := serveMSELDPage(t)
			chromium(t, pp.base+"/mseld.html?realtime="+realtime+"&src="+url.QueryEscape(ws)+
				"&player="+url.QueryEscape(p.base+mseldPlayer), noNetwork)
			var first, rep mseldReport
			started := false
			deadline := time.Now().Add(45 * time.Second)
			for time.Now().Before(deadline) {
				time.Sleep(250 * time.Millisecond) // the page reports on its own clock
				rep, _ = pp.last()
				if rep.Error != "" {
					t.Fatalf("player error: %s (log %v)", rep.Error, rep.Log)
				}
				if !started && rep.CurrentTime > 0 && rep.Frames > 0 {
					first, started = rep, true
				}
				if started && rep.CurrentTime-first.CurrentTime >= 5 && rep.Frames-first.Frames >= 100 && rep.VideoWidth == 640 {
					t.Logf("played %.1f s, %d frames decoded at %dx%d", rep.CurrentTime-first.CurrentTime,
						rep.Frames-first.Frames, rep.VideoWidth, rep.VideoHeight)
					if realtime == "1" {
						reportLatency(t, p.base+"/"+tc.stream, pp)
					}
					return
				}
			}
			t.Fatalf("no 5 s of playback within 45 s; last report %+v", rep)
		})
	}
}

// reportLatency logs the latency over the next 10 s: for each report, the
// wall clock minus the wall time the stream gave the frame on screen. The
// media timeline maps to wall time by the last segment of the video
// track's playlist: its EXT-X-PROGRAM-DATE-TIME and its tfdt. (The demo's
// burned-in clock is that same due time, less the encoder's delay.)
func reportLatency(t *testing.T, stream string, pp *mseldPage) {
	t.Helper()
	_, from := pp.last()
	time.Sleep(10 * time.Second)
	pdt, mediaT := programDate(t, stream+"/track-0.m3u8")
	reps := pp.reps.since(from)
	var lat []float64
	for _, r := range reps {
		shown := pdt.Add(time.Duration((r.CurrentTime - mediaT) * float64(time.Second)))
		lat = append(lat, float64(time.UnixMilli(r.WallMs).Sub(shown).Milliseconds()))
	}
	if len(lat) == 0 {
		t.Fatal("no reports")
	}
	sort.Float64s(lat)
	t.Logf("MSE-LD realtime latency over %d samples: median %.0f ms, min %.0f, p90 %.0f (rate %.2f, buffer ahead %.2f s)",
		len(lat), lat[len(lat)/2], lat[0], lat[len(lat)*9/10], reps[len(reps)-1].PlaybackRate,
		reps[len(reps)-1].BufferedEnd-reps[len(reps)-1].CurrentTime)
}

var (
	pdtLine = regexp.MustCompile(`#EXT-X-PROGRAM-DATE-TIME:(\S+)\s+(?:#[^\n]*\n)*([^#\s]\S*)`)
	mapURI  = regexp.MustCompile(`#EXT-X-MAP:URI="([^"]+)"`)
)

// programDate returns the program date time of the last segment of an
// fMP4 media playlist and its start on the media timeline, in seconds.
func programDate(t *testing.T, playlist string) (time.Time, float64) {
	t.Helper()
	pl := string(getBody(t, playlist))
	all := pdtLine.FindAllStringSubmatch(pl, -1)
	m := mapURI.FindStringSubmatch(pl)
	if len(all) == 0 || m == nil {
		t.Fatalf("no program date time or map in %s:\n%s", playlist, pl)
	}
	last := all[len(all)-1]
	pdt, err := time.Parse(time.RFC3339Nano, last[1])
	if err != nil {
		t.Fatal(err)
	}
	dir := playlist[:strings.LastIndexByte(playlist, '/')+1]
	init, err := mp4.DecodeFile(bytes.NewReader(getBody(t, dir+m[1])))
	if err != nil || init.Init == nil {
		t.Fatalf("init: %v", err)
	}
	seg, err := mp4.DecodeFile(bytes.NewReader(getBody(t, dir+last[2])))
	if err != nil || len(seg.Segments) == 0 {
		t.Fatalf("segment %s: %v", last[2], err)
	}
	scale := float64(init.Init.Moov.Trak.Mdia.Mdhd.Timescale)
	base := seg.Segments[0].Fragments[0].Moof.Traf.Tfdt.BaseMediaDecodeTime()
	return pdt, float64(base) / scale
}

func getBody(t *testing.T, u string) []byte {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %v", u, resp.StatusCode, err)
	}
	return b
}
