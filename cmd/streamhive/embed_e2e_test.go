//go:build e2e

package main

import (
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"streamhive/actors/auth/authtest"
	"streamhive/media/mediatest"
)

// noNetwork makes every host name but the loopback address unresolvable
// for Chromium: a page that needed a CDN would not play.
const noNetwork = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"

// serveEmbedFrame serves a page at /frame.html that shows embedURL in an
// iframe, as a website embeds it, and turns the state the embed page
// posts to its parent into the reports of playerPage.
func serveEmbedFrame(t *testing.T, embedURL string) *playerPage {
	t.Helper()
	return serveEmbedFrameOn(t, http.NewServeMux(), embedURL)
}

// serveEmbedFrameOn is serveEmbedFrame on mux, which may serve more.
func serveEmbedFrameOn(t *testing.T, mux *http.ServeMux, embedURL string) *playerPage {
	t.Helper()
	pp := &playerPage{}
	mux.HandleFunc("/frame.html", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = fmt.Fprintf(w, `<!doctype html><html><body>
<iframe src="%s" width="640" height="360" allow="autoplay"></iframe>
<script>
window.addEventListener("message", (e) => {
  if (e.data && e.data.type === "streamhive-player") fetch("report", {method: "POST", body: JSON.stringify(e.data)});
});
</script></body></html>`, html.EscapeString(embedURL))
	})
	pp.base = serveTestPage(t, mux, &pp.reps)
	return pp
}

// embedPlayers are the embed page's players, by the proto query that
// picks each.
var embedPlayers = []string{"hls", "dash", "mseld", "webrtc"}

// refusedBy is how the embed page's error begins when each player is
// refused.
var refusedBy = map[string]string{"hls": "HLS: ", "dash": "DASH: ", "mseld": "MSE-LD: ", "webrtc": "WHEP answered 403"}

// TestEmbedPlays opens /tv/embed.html of a stream behind an auth backend
// (fake:// input) in headless Chromium with no network but the two local
// servers, inside a website's iframe, with each player (HLS, DASH, MSE-LD,
// WebRTC): the page's token admits the player, and the video plays 6 s. A
// denied token plays nothing with any of them; with autoplay=false the
// MSE-LD player waits for the viewer.
func TestEmbedPlays(t *testing.T) {
	if testing.Short() {
		t.Skip("real-browser test")
	}
	backend := authtest.NewBackend(t)
	backend.SetDefault(authtest.Deny())
	p := startProtected(t, backend.URL, "-webrtc-udp", fmt.Sprintf("127.0.0.1:%d", freeUDPPort(t)))
	for _, name := range embedPlayers {
		c := struct{ name, query string }{name, "proto=" + name + "&token=embed-" + name}
		if name == "hls" {
			c.query = "token=embed-hls" // the page's default
		}
		t.Run(c.name, func(t *testing.T) {
			token := "embed-" + c.name
			backend.Set(token, authtest.Allow("X-AuthDuration", "300"))
			pp := serveEmbedFrame(t, p.base+"/"+authStream+"/embed.html?"+c.query)
			chromium(t, pp.base+"/frame.html", noNetwork)
			var first, rep playerReport
			started := false
			mediatest.WaitFor(t, 45*time.Second, "6 s of playback in the embed page", func() bool {
				rep = pp.report()
				if rep.Error != "" {
					t.Fatalf("embed page error: %s", rep.Error)
				}
				if !started && rep.CurrentTime > 0 {
					first, started = rep, true
				}
				return started && rep.CurrentTime-first.CurrentTime >= 6 && rep.VideoWidth > 0
			})
			t.Logf("%s: played %.1f s at %dx%d", c.name, rep.CurrentTime-first.CurrentTime, rep.VideoWidth, rep.VideoHeight)
			if backend.Count(token) == 0 {
				t.Errorf("the player's requests did not carry the page's token %s", token)
			}
		})
	}
	t.Run("mseld/autoplay=false", func(t *testing.T) { // the player waits for the viewer's play
		backend.Set("embed-still", authtest.Allow("X-AuthDuration", "300"))
		pp := serveEmbedFrame(t, p.base+"/"+authStream+"/embed.html?proto=mseld&autoplay=false&token=embed-still")
		chromium(t, pp.base+"/frame.html", noNetwork)
		var rep playerReport
		mediatest.WaitFor(t, 45*time.Second, "the first picture", func() bool {
			rep = pp.report()
			return rep.VideoWidth > 0 || rep.Error != ""
		})
		time.Sleep(3 * time.Second) // a player that started would play on meanwhile
		if rep = pp.report(); !rep.Paused || rep.Error != "" {
			t.Errorf("with autoplay=false: %+v", rep)
		}
	})
	for _, name := range embedPlayers {
		t.Run("denied/"+name, func(t *testing.T) { // fail closed: the page loads, its player is refused
			pp := serveEmbedFrame(t, p.base+"/"+authStream+"/embed.html?proto="+name+"&token=intruder")
			chromium(t, pp.base+"/frame.html", noNetwork)
			var rep playerReport
			mediatest.WaitFor(t, 45*time.Second, "the embed page to report the refusal", func() bool {
				rep = pp.report()
				return rep.Error != ""
			})
			if rep.CurrentTime > 0 || rep.VideoWidth > 0 {
				t.Errorf("a denied viewer played: %+v", rep)
			}
			if !strings.HasPrefix(rep.Error, refusedBy[name]) {
				t.Errorf("the page reports %q, not its player's refusal (%s...)", rep.Error, refusedBy[name])
			}
			t.Logf("denied %s: %s", name, rep.Error)
		})
	}
	for _, q := range backend.Requests() {
		if tok := q.Get("token"); !strings.HasPrefix(tok, "embed-") && tok != "intruder" {
			t.Errorf("the backend was asked about token %q: %v", tok, q)
		}
	}
}

// TestEmbedWHEPClient checks the page's WHEP client in Chromium: the
// page, served through a proxy whose /demo/whep stands in for the
// server's, POSTs an SDP offer that receives video and audio, with the
// page's token, and reports the refusal it gets.
func TestEmbedWHEPClient(t *testing.T) {
	if testing.Short() {
		t.Skip("real-browser test")
	}
	port := freePort(t)
	conf := fmt.Sprintf("rtmp 127.0.0.1:%d;\nstream demo { input fake://; }\n", freePort(t))
	p := start(t, port, "-config", writeConfig(t, t.TempDir(), port, conf))
	target, err := url.Parse(p.base)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var offer *http.Request
	var offerSDP string
	mux := http.NewServeMux()
	mux.Handle("/", httputil.NewSingleHostReverseProxy(target))
	mux.HandleFunc("/demo/whep", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		offer, offerSDP = r, string(b)
		mu.Unlock()
		http.Error(w, "no WHEP here", http.StatusServiceUnavailable)
	})
	// The page comes through the proxy, so its relative whep URL does too.
	pp := serveEmbedFrameOn(t, mux, "/demo/embed.html?proto=webrtc&token=w1")
	chromium(t, pp.base+"/frame.html", noNetwork)
	var rep playerReport
	mediatest.WaitFor(t, 30*time.Second, "the embed page to report the WHEP refusal", func() bool {
		rep = pp.report()
		return rep.Error != ""
	})
	if rep.Error != "WHEP answered 503" {
		t.Errorf("page error %q", rep.Error)
	}
	mu.Lock()
	defer mu.Unlock()
	if offer == nil {
		t.Fatal("no offer was posted")
	}
	if offer.Method != http.MethodPost || offer.Header.Get("Content-Type") != "application/sdp" || offer.URL.Query().Get("token") != "w1" {
		t.Errorf("offer request: %s %s, Content-Type %q", offer.Method, offer.URL, offer.Header.Get("Content-Type"))
	}
	for _, want := range []string{"m=video", "m=audio", "a=recvonly", "H264", "opus", "a=candidate"} {
		if !strings.Contains(offerSDP, want) {
			t.Errorf("offer lacks %q:\n%s", want, offerSDP)
		}
	}
}
