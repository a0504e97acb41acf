package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"streamhive/media"
	"streamhive/media/mediatest"
	"streamhive/protocols/whep/wheptest"
)

// The -webrtc-tcp and -webrtc-public-ip flags reach the answers: a
// viewer with only TCP plays on the ICE-TCP listener, and with a public
// IP every candidate carries it.
func TestWebRTCFlags(t *testing.T) {
	t.Run("tcp", func(t *testing.T) {
		n, err := webrtcFlags{udp: "127.0.0.1:0", tcp: "127.0.0.1:0"}.openNet(slog.Default())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(n.Close)
		base, _, _ := whepServerOn(t, media.CodecOpus, n)
		cl, err := wheptest.NewWith(wheptest.H264Opus, wheptest.Options{TCP: true})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = cl.Close() })
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		sdp, err := cl.Offer(ctx)
		if err != nil {
			t.Fatal(err)
		}
		answer := created(t, base, sdp)
		if !strings.Contains(answer, "tcptype passive") {
			t.Fatalf("no passive TCP candidate:\n%s", answer)
		}
		if err := cl.SetAnswer(answer); err != nil {
			t.Fatal(err)
		}
		mediatest.WaitFor(t, 10*time.Second, "video over ICE-TCP", func() bool { return cl.Keyframes.Load() > 0 })
	})
	t.Run("public IP", func(t *testing.T) {
		n, err := webrtcFlags{udp: "127.0.0.1:0", tcp: "127.0.0.1:0", publicIPs: "198.51.100.20"}.openNet(slog.Default())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(n.Close)
		base, _, _ := whepServerOn(t, media.CodecOpus, n)
		_, sdp := offer(t, wheptest.H264Opus)
		answer := created(t, base, sdp)
		count := 0
		for _, l := range strings.Split(answer, "\n") {
			if strings.HasPrefix(l, "a=candidate:") {
				count++
				if !strings.Contains(l, " 198.51.100.20 ") {
					t.Errorf("candidate without the public IP: %s", l)
				}
			}
		}
		if count < 2 {
			t.Errorf("%d candidates, want UDP and TCP:\n%s", count, answer)
		}
	})
	if _, err := (webrtcFlags{publicIPs: "not-an-ip"}).openNet(slog.Default()); err == nil {
		t.Error("a public IP that is no IP was taken")
	}
}

// A viewer restarts ICE with a PATCH carrying new credentials: 200 with
// our new credentials in a fragment, and media keeps flowing.
func TestWHEPICERestartOverPATCH(t *testing.T) {
	base, _, _ := whepServer(t, media.CodecOpus)
	cl, sdp := offer(t, wheptest.H264Opus)
	resp := post(t, base+"/cam/whep", "application/sdp", sdp)
	answer, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("POST: %d: %s", resp.StatusCode, answer)
	}
	if err := cl.SetAnswer(string(answer)); err != nil {
		t.Fatal(err)
	}
	mediatest.WaitFor(t, 10*time.Second, "video", func() bool { return cl.Keyframes.Load() > 0 })
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	frag, err := cl.RestartFragment(ctx)
	if err != nil {
		t.Fatal(err)
	}
	r := do(t, http.MethodPatch, base+resp.Header.Get("Location"), "application/trickle-ice-sdpfrag", frag)
	ours, _ := io.ReadAll(r.Body)
	if r.StatusCode != http.StatusOK || r.Header.Get("Content-Type") != "application/trickle-ice-sdpfrag" {
		t.Fatalf("PATCH: %d %q: %s", r.StatusCode, r.Header.Get("Content-Type"), ours)
	}
	if err := cl.ApplyRestart(string(ours)); err != nil {
		t.Fatal(err)
	}
	keys := cl.Keyframes.Load()
	mediatest.WaitFor(t, 10*time.Second, "video after the restart", func() bool { return cl.Keyframes.Load() > keys+1 })
}

// created POSTs offer to base's /cam/whep and returns the 201's answer.
func created(t *testing.T, base, offer string) string {
	t.Helper()
	resp := post(t, base+"/cam/whep", "application/sdp", offer)
	answer, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("POST: %d: %s", resp.StatusCode, answer)
	}
	return string(answer)
}
