package play_test

import (
	"context"
	"testing"

	"github.com/valyala/fasthttp"

	"streamhive/gateway/live"
	"streamhive/gateway/play"
)

// toB sends every viewer of "cam" to node b.
type toB struct{}

func (toB) Redirect(name string) (string, bool) { return "http://b.example:8081", name == "cam" }

// nowhere locates nothing.
type nowhere struct{}

func (nowhere) Locate(string) (live.Location, bool) { return live.Location{}, false }

// noWHEP is a WHEP that is never reached: the offer is redirected.
type noWHEP struct{}

func (noWHEP) Play(context.Context, play.WHEPViewer) ([]byte, string, error) {
	panic("redirected offer played here")
}

func (noWHEP) Trickle(context.Context, string, string, []byte) ([]byte, error) { return nil, nil }
func (noWHEP) End(string, string) error                                        { return nil }

// TestBalanceRedirects: HLS and DASH entry points answer 302 and a WHEP
// offer 307 to the balancer's node, with the path and query (the token)
// kept; segments and streams the balancer keeps are served here.
func TestBalanceRedirects(t *testing.T) {
	h := play.New(play.Options{Streams: nowhere{}, Balance: toB{}, WHEP: noWHEP{}})
	defer h.Close()
	for _, tc := range []struct {
		method, uri string
		status      int
		location    string
	}{
		{"GET", "/cam/index.m3u8?token=abc%2F1&x=2", 302, "http://b.example:8081/cam/index.m3u8?token=abc%2F1&x=2"},
		{"GET", "/cam/tracks-v1/mono.m3u8", 302, "http://b.example:8081/cam/tracks-v1/mono.m3u8"},
		{"GET", "/cam/index.mpd?token=t", 302, "http://b.example:8081/cam/index.mpd?token=t"},
		{"POST", "/cam/whep?token=t", 307, "http://b.example:8081/cam/whep?token=t"},
		{"GET", "/other/index.m3u8", 404, ""}, // kept here: not found here
	} {
		var rc fasthttp.RequestCtx
		rc.Request.Header.SetMethod(tc.method)
		rc.Request.SetRequestURI(tc.uri)
		if tc.method == "POST" {
			rc.Request.Header.SetContentType("application/sdp")
			rc.Request.SetBodyString("v=0\r\n")
		}
		h.Serve(&rc)
		if got := rc.Response.StatusCode(); got != tc.status {
			t.Errorf("%s %s = %d, want %d", tc.method, tc.uri, got, tc.status)
		}
		if got := string(rc.Response.Header.Peek("Location")); got != tc.location {
			t.Errorf("%s %s: Location %q, want %q", tc.method, tc.uri, got, tc.location)
		}
	}
}
