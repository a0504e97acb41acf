//go:build e2e

package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"streamhive/actors/auth/authtest"
	"streamhive/media/mediatest"
)

// embedReport is what testdata/embed/frame.html posts every 250 ms.
type embedReport struct {
	Player          string  `json:"player"`
	Error           string  `json:"error"`
	CurrentTime     float64 `json:"currentTime"`
	VideoWidth      int     `json:"videoWidth"`
	VideoHeight     int     `json:"videoHeight"`
	Frames          int     `json:"frames"`          // decoded video frames
	AudioBytes      int     `json:"audioBytes"`      // decoded audio (MSE)
	LiveAudioTracks int     `json:"liveAudioTracks"` // unmuted remote audio tracks (WebRTC)
	Frame           string  `json:"frame"`           // the picture shown, a PNG data URL
	FrameAt         int64   `json:"frameAt"`         // wall clock of Frame, Unix ms
	Left            bool    `json:"left"`
}

// embedSite is a website that embeds the server's embed page in an
// iframe on its own origin (a proxy to the server), so that its page can
// read the player's <video>; it records the requests it passes on.
type embedSite struct {
	base  string
	mu    sync.Mutex
	last  embedReport
	leave bool
	seen  []string // "METHOD PATH STATUS" of the proxied requests
}

func serveEmbedSite(t *testing.T, server string) *embedSite {
	t.Helper()
	target, err := url.Parse(server)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := filepath.Abs("testdata/embed/frame.html")
	es := &embedSite{}
	proxy := httputil.NewSingleHostReverseProxy(target)
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		sw := &statusWriter{ResponseWriter: w}
		proxy.ServeHTTP(sw, r)
		es.mu.Lock()
		es.seen = append(es.seen, fmt.Sprintf("%s %s %d", r.Method, r.URL.Path, sw.status))
		es.mu.Unlock()
	})
	mux.HandleFunc("/embedtest/frame.html", func(w http.ResponseWriter, r *http.Request) { http.ServeFile(w, r, page) })
	mux.HandleFunc("/embedtest/report", func(w http.ResponseWriter, r *http.Request) {
		var rep embedReport
		b, _ := io.ReadAll(r.Body)
		es.mu.Lock()
		defer es.mu.Unlock()
		if json.Unmarshal(b, &rep) == nil {
			es.last = rep
		}
		if es.leave {
			_, _ = io.WriteString(w, "leave")
		}
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }() // ends with ErrServerClosed at the cleanup
	t.Cleanup(func() { _ = srv.Close() })
	es.base = "http://" + ln.Addr().String()
	return es
}

// open shows embedPath (/NAME/embed.html?...) in Chromium, with pictures
// for measureLatency when frames is set.
func (es *embedSite) open(t *testing.T, embedPath string, frames bool) {
	t.Helper()
	q := "?src=" + url.QueryEscape(embedPath)
	if frames {
		q += "&frames=1"
	}
	chromium(t, es.base+"/embedtest/frame.html"+q, noNetwork)
}

// statusWriter keeps the status a handler answered.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

// Unwrap lets the proxy reach the connection (a WebSocket's upgrade,
// flushes).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (es *embedSite) report() embedReport {
	es.mu.Lock()
	defer es.mu.Unlock()
	return es.last
}

// requests returns the proxied requests whose "METHOD PATH" starts with prefix.
func (es *embedSite) requests(prefix string) []string {
	es.mu.Lock()
	defer es.mu.Unlock()
	var out []string
	for _, s := range es.seen {
		if strings.HasPrefix(s, prefix) {
			out = append(out, s)
		}
	}
	return out
}

// shot is the latest picture for measureLatency.
func (es *embedSite) shot() (string, int64, int) {
	rep := es.report()
	return rep.Frame, rep.FrameAt, rep.VideoHeight
}

// waitPlaying waits until the embed page has played 3 s with decoded
// frames and audio, and returns the last report.
func (es *embedSite) waitPlaying(t *testing.T) embedReport {
	t.Helper()
	var first, rep embedReport
	started := false
	ok := mediatest.Eventually(45*time.Second, func() bool {
		rep = es.report()
		if rep.Error != "" {
			t.Fatalf("embed page error: %s", rep.Error)
		}
		if !started && rep.CurrentTime > 0 && rep.Frames > 0 {
			first, started = rep, true
		}
		audio := rep.AudioBytes > 0 || rep.LiveAudioTracks > 0
		return started && rep.CurrentTime-first.CurrentTime >= 3 && rep.Frames-first.Frames >= 50 && rep.VideoWidth > 0 && audio
	})
	if !ok {
		rep.Frame = ""
		t.Fatalf("no 3 s of playback with audio within 45 s; last report %+v", rep)
	}
	t.Logf("%s: %d frames decoded at %dx%d, audio bytes %d, live audio tracks %d", rep.Player,
		rep.Frames, rep.VideoWidth, rep.VideoHeight, rep.AudioBytes, rep.LiveAudioTracks)
	return rep
}

// sessionsOf counts token's sessions of proto in GET /sessions.
func sessionsOf(t *testing.T, p *proc, token, proto string) int {
	t.Helper()
	code, body := p.do("GET", "/streamer/api/v3/sessions", "", "")
	if code != http.StatusOK {
		t.Fatalf("GET sessions: %d %s", code, body)
	}
	list := decode[struct {
		Sessions []struct {
			Token string `json:"token"`
			Proto string `json:"proto"`
		} `json:"sessions"`
	}](t, body)
	n := 0
	for _, s := range list.Sessions {
		if s.Token == token && s.Proto == proto {
			n++
		}
	}
	return n
}

// TestEmbedRealtimePlayers plays the protected demo (fake://, AAC audio
// given an Opus rendition for WebRTC) through /tv/embed.html in headless
// Chromium with no network but the server, with the page's token: over
// WHEP (proto=webrtc, every peer on the one UDP port) and over MSE-LD
// (realtime=true). Both decode video and audio; the latency of each is
// read off the demo's burned-in clock. Leaving the WebRTC page sends its
// DELETE, and the viewer's session ends.
func TestEmbedRealtimePlayers(t *testing.T) {
	if testing.Short() {
		t.Skip("real-browser test")
	}
	backend := authtest.NewBackend(t)
	backend.SetDefault(authtest.Deny())
	p := startProtected(t, backend.URL, "-webrtc-udp", fmt.Sprintf("127.0.0.1:%d", freeUDPPort(t)))
	for _, c := range []struct{ name, query string }{
		{"webrtc", "proto=webrtc"},
		{"mseld", "realtime=true"},
	} {
		t.Run(c.name, func(t *testing.T) {
			token := "rt-" + c.name
			backend.Set(token, authtest.Allow("X-AuthDuration", "300"))
			es := serveEmbedSite(t, p.base)
			es.open(t, "/"+authStream+"/embed.html?"+c.query+"&token="+token, true)
			if rep := es.waitPlaying(t); rep.Player != c.name {
				t.Errorf("the page chose player %q, want %s", rep.Player, c.name)
			}
			measureLatency(t, "the embed page's "+c.name, es.shot)
			if n := sessionsOf(t, p, token, c.name); n != 1 {
				t.Fatalf("%d %s sessions with token %s, want 1", n, c.name, token)
			}
			es.mu.Lock()
			es.leave = true
			es.mu.Unlock()
			mediatest.WaitFor(t, 15*time.Second, "the viewer's session to end as it leaves", func() bool {
				return sessionsOf(t, p, token, c.name) == 0
			})
			if c.name == "webrtc" {
				var del []string
				mediatest.WaitFor(t, 10*time.Second, "the page's DELETE", func() bool {
					del = es.requests("DELETE /" + authStream + "/whep/")
					return len(del) > 0
				})
				if len(del) != 1 || !strings.HasSuffix(del[0], " 200") {
					t.Errorf("the page's DELETE on leaving: %v", del)
				}
			}
		})
	}
}
