//go:build e2e

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"streamhive/media/mediatest"
	"streamhive/protocols/whip/whiptest"
)

// TestWHIPPublishPlaysOverHLS: a pion client publishes H.264 and Opus to
// POST /NAME/whip of the real server; the stream plays over HLS and
// decodes with ffmpeg; DELETE on the Location ends the session and the
// publish:// input goes back to waiting. Garbage offers, unknown streams
// and streams that take no publishers are refused in the API's error
// shape, with log lines.
func TestWHIPPublishPlaysOverHLS(t *testing.T) {
	if testing.Short() {
		t.Skip("real media for several seconds")
	}
	port := freePort(t)
	conf := `stream cam { input publish://; segment_duration 1; }
stream pulled { input fake://; }
`
	p := start(t, port, "-config", writeConfig(t, t.TempDir(), port, conf))
	media := whiptest.MakeMedia(t, "320x240", 3)

	for _, c := range []struct {
		path, ctype, body string
		status            int
	}{
		{"/cam/whip", "application/sdp", "garbage", 400},
		{"/cam/whip", "text/plain", "v=0", 415},
		{"/nope/whip", "application/sdp", "v=0", 404},
		{"/pulled/whip", "application/sdp", "v=0", 403},
	} {
		status, body, _ := postSDP(t, p.base+c.path, c.ctype, c.body)
		var e struct {
			Errors []struct{ Code string } `json:"errors"`
		}
		if status != c.status || json.Unmarshal([]byte(body), &e) != nil || len(e.Errors) != 1 {
			t.Errorf("POST %s (%s): %d %s, want %d with a JSON error", c.path, c.body, status, body, c.status)
		}
	}

	client, err := whiptest.NewClient(whiptest.H264Opus)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = client.Close() }()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	offer, err := client.Offer(ctx)
	if err != nil {
		t.Fatal(err)
	}
	status, answer, location := postSDP(t, p.base+"/cam/whip", "application/sdp", offer)
	if status != http.StatusCreated || !strings.HasPrefix(location, "/cam/whip/") {
		t.Fatalf("POST offer: %d, Location %q\n%s", status, location, answer)
	}
	if err := client.SetAnswer(answer); err != nil {
		t.Fatal(err)
	}
	sent := make(chan error, 1)
	go func() { sent <- client.Send(ctx, media, 4) }()

	waitPlaylist(t, p.base+"/cam/mono.m3u8")
	decodeHLS(t, p.base+"/cam/index.m3u8")
	if alive, in := inputStats(t, p, "cam"); !alive || in == nil {
		t.Errorf("cam: alive %v, input %v", alive, in)
	}

	if code, body := p.do("DELETE", location, "", ""); code != http.StatusOK {
		t.Fatalf("DELETE %s: %d %s", location, code, body)
	}
	select {
	case <-client.Gone():
	case <-time.After(15 * time.Second):
		t.Error("the client's connection outlived DELETE")
	}
	mediatest.WaitFor(t, 10*time.Second, "cam's input to wait again", func() bool { alive, _ := inputStats(t, p, "cam"); return !alive })
	if code, _ := p.do("DELETE", location, "", ""); code != http.StatusNotFound {
		t.Errorf("second DELETE: %d, want 404", code)
	}
	cancel()
	<-sent

	// A session still live when the server stops ends with it.
	again := publishWHIP(t, p.base+"/cam/whip")
	if took := p.stop(syscall.SIGTERM); took > stopTimeout+time.Second {
		t.Errorf("stopping with a WHIP session took %v", took)
	}
	select {
	case <-again.Gone():
	case <-time.After(15 * time.Second):
		t.Error("the second client's connection outlived the server")
	}
	logs := p.log.String()
	for _, want := range []string{"whip: session started", "whip: session ended", "whip: publisher refused", "whip: server closed"} {
		if !strings.Contains(logs, want) {
			t.Errorf("the log lacks %q", want)
		}
	}
}

// publishWHIP connects a new client to url (sending nothing) and returns
// it once connected.
func publishWHIP(t *testing.T, url string) *whiptest.Client {
	t.Helper()
	c, err := whiptest.NewClient(whiptest.H264Opus)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	offer, err := c.Offer(ctx)
	if err != nil {
		t.Fatal(err)
	}
	status, answer, _ := postSDP(t, url, "application/sdp", offer)
	if status != http.StatusCreated {
		t.Fatalf("POST offer: %d %s", status, answer)
	}
	if err := c.SetAnswer(answer); err != nil {
		t.Fatal(err)
	}
	select {
	case <-c.Connected():
	case <-ctx.Done():
		t.Fatal("the second client did not connect")
	}
	return c
}

// postSDP posts body as ctype and returns the status, body and Location.
func postSDP(t *testing.T, url, ctype, body string) (int, string, string) {
	t.Helper()
	resp, err := http.Post(url, ctype, strings.NewReader(body))
	if err != nil {
		t.Fatal(fmt.Errorf("POST %s: %w", url, err))
	}
	defer func() { _ = resp.Body.Close() }()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header.Get("Location")
}
