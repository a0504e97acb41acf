package gateway

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	"streamhive/actors/certs"
	"streamhive/actors/certs/certstest"
	"streamhive/actors/config"
)

// TestServeTLS: an https listener serves what the plain one serves (the
// Control API and the playback handler) to a client that trusts only the
// test root, and the handler sees the request as TLS.
func TestServeTLS(t *testing.T) {
	dir := t.TempDir()
	pki := certstest.New(t)
	pki.Leaf(t, 3).Write(t, dir, "streamer", true)
	tc, err := certs.NewBook(dir).Config("https", config.Listen{Port: 443})
	if err != nil {
		t.Fatal(err)
	}
	play := func(rc *fasthttp.RequestCtx) {
		if rc.IsTLS() {
			rc.SetBodyString("playback over tls")
		} else {
			rc.SetBodyString("playback in the clear")
		}
	}
	plain, srv := startServer(t, Config{Play: play})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.ServeTLS(ln, tc) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
		if err := <-done; err != nil {
			t.Errorf("ServeTLS returned %v", err)
		}
	})
	secure := "https://" + ln.Addr().String()
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: pki.ClientConfig()}, Timeout: 5 * time.Second}
	fetch := func(c *http.Client, url string) (int, string) {
		t.Helper()
		resp, err := c.Get(url)
		if err != nil {
			t.Fatalf("GET %s: %v", url, err)
		}
		defer func() { _ = resp.Body.Close() }()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	const streams = "/streamer/api/v3/streams"
	untimed := func(body string) string { b, _, _ := strings.Cut(body, `"timing"`); return b }
	wantCode, wantBody := fetch(http.DefaultClient, plain+streams)
	if code, body := fetch(client, secure+streams); code != wantCode || untimed(body) != untimed(wantBody) || code != http.StatusOK {
		t.Errorf("API over https: %d %q; over http: %d %q", code, body, wantCode, wantBody)
	}
	if _, body := fetch(client, secure+"/cam1/index.m3u8"); body != "playback over tls" {
		t.Errorf("playback over https answered %q", body)
	}
	if _, body := fetch(http.DefaultClient, plain+"/cam1/index.m3u8"); body != "playback in the clear" {
		t.Errorf("playback over http answered %q", body)
	}
	if _, err := http.Get(secure + streams); err == nil {
		t.Errorf("a client that does not trust the certificate got an answer")
	}
}
