//go:build e2e

package main

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"streamhive/media/mediatest"
)

// TestBalanceOverChannelLimit: two nodes; A's own peer line has
// channel_limit 1 and A runs one stream, so A is over its limit; B runs
// x and has no limit. A sends an HLS viewer of x to B with 302 and a
// WHEP offer with 307, the query kept; B serves its viewers itself.
func TestBalanceOverChannelLimit(t *testing.T) {
	portA, portB := freePort(t), freePort(t)
	peers := fmt.Sprintf("cluster_key k;\npeer 127.0.0.1:%d { channel_limit 1; }\npeer 127.0.0.1:%d;\n", portA, portB)
	a := start(t, portA, "-config", writeConfig(t, t.TempDir(), portA,
		peers+"stream y { input fake://; segment_duration 1; }\n"))
	b := start(t, portB, "-config", writeConfig(t, t.TempDir(), portB,
		peers+"stream x { input fake://; segment_duration 1; }\n"))
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	ask := func(method, base, path string) (int, string) {
		req, _ := http.NewRequest(method, base+path, strings.NewReader("v=0\r\n"))
		if method == http.MethodPost {
			req.Header.Set("Content-Type", "application/sdp")
		}
		resp, err := noFollow.Do(req)
		if err != nil {
			return 0, err.Error()
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
		return resp.StatusCode, resp.Header.Get("Location")
	}
	mediatest.WaitFor(t, 20*time.Second, "A redirects x's HLS to B", func() bool {
		code, loc := ask(http.MethodGet, a.base, "/x/index.m3u8?token=t1")
		return code == http.StatusFound && loc == b.base+"/x/index.m3u8?token=t1"
	})
	if code, loc := ask(http.MethodPost, a.base, "/x/whep?token=t2"); code != http.StatusTemporaryRedirect ||
		loc != b.base+"/x/whep?token=t2" {
		t.Errorf("A's answer to a WHEP offer: %d %q, want 307 to B", code, loc)
	}
	if code, loc := ask(http.MethodGet, b.base, "/x/index.m3u8"); code == http.StatusFound {
		t.Errorf("B, under its limit, redirected to %q", loc)
	}
}
