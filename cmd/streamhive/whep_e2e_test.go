//go:build e2e

package main

import (
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"testing"
	"time"

	"streamhive/media/mediatest"
)

// whepReport is what testdata/whep/whep.html posts every 250 ms.
type whepReport struct {
	State          string  `json:"state"`
	FramesDecoded  int     `json:"framesDecoded"`
	AudioTracks    int     `json:"audioTracks"`
	AudioPackets   int     `json:"audioPackets"`
	Patches        []int   `json:"patches"`
	Error          string  `json:"error"`
	VideoWidth     int     `json:"videoWidth"`
	VideoHeight    int     `json:"videoHeight"`
	JitterBufferMs float64 `json:"jitterBufferMs"`
	Frame          string  `json:"frame"`   // the video as shown, a PNG data URL
	FrameAt        int64   `json:"frameAt"` // wall clock of Frame, Unix ms
}

// whepPage serves the WHEP page and keeps its latest report.
type whepPage struct {
	base string
	reps pageReports[whepReport]
}

func serveWHEPPage(t *testing.T) *whepPage {
	t.Helper()
	page, _ := filepath.Abs("testdata/whep/whep.html")
	wp := &whepPage{}
	mux := http.NewServeMux()
	mux.HandleFunc("/whep.html", func(w http.ResponseWriter, r *http.Request) { http.ServeFile(w, r, page) })
	wp.base = serveTestPage(t, mux, &wp.reps)
	return wp
}

func (wp *whepPage) report() whepReport {
	last, _ := wp.reps.latest()
	return last
}

// TestWHEPPlaysInChromium plays the demo (fake://, its audio transcoded to
// Opus) over WHEP in headless Chromium's own RTCPeerConnection, once with
// a complete offer and once trickling candidates with PATCH; every peer
// shares the one UDP port. Video frames are decoded and an audio track
// receives packets. A stream whose audio is AAC gets its Opus from the
// server's own encoder, made while the WebRTC viewer watches.
func TestWHEPPlaysInChromium(t *testing.T) {
	port := freePort(t)
	udp := freeUDPPort(t)
	conf := fmt.Sprintf("rtmp 127.0.0.1:%d;\nstream demo { input fake://; transcoder vb=200k size=320x180 preset=ultrafast acodec=opus ab=48k; }\n"+
		"stream aac { input fake://; transcoder vb=200k size=320x180 preset=ultrafast; }\n", freePort(t))
	p := start(t, port, "-config", writeConfig(t, t.TempDir(), port, conf), "-webrtc-udp", fmt.Sprintf("127.0.0.1:%d", udp))
	for _, c := range []struct {
		name, stream string
		trickle      bool
	}{{"complete offer", "demo", false}, {"trickle ICE", "demo", true}, {"AAC source", "aac", false}} {
		t.Run(c.name, func(t *testing.T) {
			wp := serveWHEPPage(t)
			q := "?src=" + url.QueryEscape(p.base+"/"+c.stream+"/whep")
			if c.trickle {
				q += "&trickle=1"
			} else {
				q += "&frames=1"
			}
			chromium(t, wp.base+"/whep.html"+q)
			var rep whepReport
			ok := mediatest.Eventually(45*time.Second, func() bool {
				rep = wp.report()
				if rep.Error != "" {
					t.Fatalf("page error: %s", rep.Error)
				}
				return rep.FramesDecoded > 50 && rep.AudioTracks > 0 && rep.AudioPackets > 50 && (!c.trickle || len(rep.Patches) > 0)
			})
			if !ok {
				rep.Frame = ""
				t.Fatalf("no WHEP playback within 45 s; last report %+v", rep)
			}
			for _, s := range rep.Patches {
				if s != http.StatusNoContent {
					t.Errorf("PATCH answered %d, want 204", s)
				}
			}
			if c.name == "complete offer" {
				measureLatency(t, "WHEP", func() (string, int64, int) {
					rep := wp.report()
					return rep.Frame, rep.FrameAt, rep.VideoHeight
				})
			}
			t.Logf("%s: %d frames decoded at width %d, %d audio packets, jitter buffer %.0f ms, PATCHes %v",
				c.name, rep.FramesDecoded, rep.VideoWidth, rep.AudioPackets, rep.JitterBufferMs, rep.Patches)
		})
	}
}

// measureLatency reads the demo's burned-in clock off ten pictures that
// shot returns (a PNG data URL, the wall clock it was taken at in Unix ms,
// the video's height) and logs the median glass-to-glass latency of what
// (the player): from the time a frame was due at the source to the time
// the browser showed it. The median, because a misread digit of the small
// picture's clock now and then gives one sample off by hundreds of
// milliseconds.
func measureLatency(t *testing.T, what string, shot func() (frame string, at int64, height int)) time.Duration {
	t.Helper()
	var cr *clockReader
	var lat []time.Duration
	last := int64(0)
	mediatest.Eventually(20*time.Second, func() bool {
		frame, at, height := shot()
		if at == last || frame == "" {
			return false
		}
		last = at
		if cr == nil {
			cr = newClockReader(t, 640, 360, height)
		}
		d, err := cr.glassToGlass(frame, at)
		if err != nil {
			t.Logf("clock unreadable: %v", err)
			return false
		}
		lat = append(lat, d)
		return len(lat) >= 10
	})
	if len(lat) == 0 {
		t.Fatal("the clock could not be read off any picture")
	}
	med := medianOf(lat)
	t.Logf("glass-to-glass latency over %s: median %v of %v", what, med, lat)
	return med
}
