package remote_test

import (
	"context"
	"testing"

	"github.com/valyala/fasthttp"

	"streamhive/actors/cluster"
	"streamhive/actors/config"
	"streamhive/gateway/live"
	"streamhive/gateway/play"
	"streamhive/gateway/remote"
)

// limitedNodes: a (this node) runs at 90% CPU and 5 streams; b, which
// runs "shared" too, is over its own line's cpu_limit; c is under.
func limitedNodes(lines ...config.Peer) (*remote.Balancer, fakeView) {
	v := threeNodes()
	v.self.Load = cluster.Load{CPU: 0.9, Streams: 5}
	v.members = append([]cluster.Member(nil), v.members...)
	v.members[0].Load = v.self.Load
	v.members[1].Load.CPU = 0.95
	v.members[2].Load.CPU = 0.1
	return &remote.Balancer{View: v, Peers: func() []config.Peer { return lines }}, v
}

// TestBalancerPeerLimits: each member's limit is its own peer line's
// cpu_limit (percent) or channel_limit (streams); a node without limits
// on its line redirects nothing.
func TestBalancerPeerLimits(t *testing.T) {
	for _, tc := range []struct {
		what  string
		lines []config.Peer
		want  string
	}{
		{"no limits", []config.Peer{{Hostname: "a:80"}}, ""},
		{"under its cpu_limit", []config.Peer{{Hostname: "a:80", CPULimit: 95}}, ""},
		{"over its cpu_limit", []config.Peer{{Hostname: "a:80", CPULimit: 80}}, "http://c:80"},
		{"over its channel_limit", []config.Peer{{Hostname: "a:80", ChannelLimit: 5}}, "http://c:80"},
		{"b under its own limit, less loaded", []config.Peer{
			{Hostname: "a:80", CPULimit: 80}, {Hostname: "b:80", CPULimit: 99}, {Hostname: "c:80", CPULimit: 5},
		}, "http://b:80"},
		{"every holder over its limit", []config.Peer{
			{Hostname: "a:80", CPULimit: 80}, {Hostname: "b:80", CPULimit: 80}, {Hostname: "c:80", CPULimit: 5},
		}, ""},
	} {
		b, _ := limitedNodes(tc.lines...)
		got, ok := b.Redirect("shared")
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("%s: Redirect = %q, %v; want %q", tc.what, got, ok, tc.want)
		}
	}
}

// TestOverLimitRedirectsPlayback: through the playback handler, a node
// over its cpu_limit answers an HLS playlist with 302 and a WHEP offer
// with 307 to the less loaded member running the stream, query kept.
func TestOverLimitRedirectsPlayback(t *testing.T) {
	b, _ := limitedNodes(config.Peer{Hostname: "a:80", CPULimit: 80})
	h := play.New(play.Options{Streams: nothing{}, Balance: b, WHEP: unplayed{t}})
	defer h.Close()
	for _, tc := range []struct {
		method, uri string
		status      int
		location    string
	}{
		{"GET", "/shared/index.m3u8?token=t%2F1", 302, "http://c:80/shared/index.m3u8?token=t%2F1"},
		{"POST", "/shared/whep?token=t", 307, "http://c:80/shared/whep?token=t"},
		{"GET", "/here/index.m3u8", 404, ""}, // nobody else runs it
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

// nothing locates no stream here.
type nothing struct{}

func (nothing) Locate(string) (live.Location, bool) { return live.Location{}, false }

// unplayed fails the test when an offer is played here.
type unplayed struct{ t *testing.T }

func (u unplayed) Play(context.Context, play.WHEPViewer) ([]byte, string, error) {
	u.t.Error("a redirected offer was played here")
	return nil, "", nil
}

func (unplayed) Trickle(context.Context, string, string, []byte) ([]byte, error) { return nil, nil }
func (unplayed) End(string, string) error                                        { return nil }
