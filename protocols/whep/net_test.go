package whep_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pion/webrtc/v4"

	"streamhive/media/mediatest"
	"streamhive/protocols/pionrtc"
	"streamhive/protocols/whep/wheptest"
)

func openNet(t *testing.T, c pionrtc.NetConfig) *pionrtc.Net {
	t.Helper()
	n, err := pionrtc.OpenNet(c)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(n.Close)
	return n
}

// candidates returns the a=candidate lines of desc.
func candidates(desc string) []string {
	var cs []string
	for _, l := range strings.Split(desc, "\n") {
		if l = strings.TrimSpace(l); strings.HasPrefix(l, "a=candidate:") {
			cs = append(cs, l)
		}
	}
	return cs
}

// A viewer whose network carries only TCP plays over ICE-TCP: our
// passive candidate on the shared listener.
func TestICETCPPlays(t *testing.T) {
	srv := newServer(t, openNet(t, pionrtc.NetConfig{UDP: "127.0.0.1:0", TCP: "127.0.0.1:0"}))
	cl, err := wheptest.NewWith(wheptest.H264Opus, wheptest.Options{TCP: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cl.Close() })
	offer := gathered(t, cl)
	if cs := candidates(offer); slices.ContainsFunc(cs, func(c string) bool { return strings.Contains(strings.ToLower(c), " udp ") }) {
		t.Fatalf("the TCP-only client offers UDP: %q", cs)
	}
	answer, _ := play(t, srv, newViewer(t, offer))
	if !slices.ContainsFunc(candidates(answer), func(c string) bool { return strings.Contains(c, " tcp ") && strings.Contains(c, "tcptype passive") }) {
		t.Fatalf("no passive TCP candidate in the answer:\n%s", answer)
	}
	if err := cl.SetAnswer(answer); err != nil {
		t.Fatal(err)
	}
	mediatest.WaitFor(t, 10*time.Second, "video and audio over ICE-TCP", func() bool {
		return cl.Keyframes.Load() > 0 && cl.Audio.Load() > 20
	})
}

// With public IPs (a NAT 1:1), every candidate of the answer carries the
// public address instead of ours, on the shared ports.
func TestPublicIPInAnswer(t *testing.T) {
	const public = "203.0.113.7"
	srv := newServer(t, openNet(t, pionrtc.NetConfig{UDP: "127.0.0.1:0", TCP: "127.0.0.1:0", PublicIPs: []string{public}}))
	_, offer := offerOf(t, wheptest.H264Opus)
	answer, _ := play(t, srv, newViewer(t, offer))
	cs := candidates(answer)
	var udp, tcp bool
	for _, c := range cs {
		if !strings.Contains(c, " "+public+" ") {
			t.Errorf("candidate without the public IP: %s", c)
		}
		udp = udp || strings.Contains(c, " udp ")
		tcp = tcp || strings.Contains(c, " tcp ")
	}
	if !udp || !tcp {
		t.Errorf("want UDP and TCP candidates, got %q", cs)
	}
}

// A viewer that restarts ICE (new credentials in a PATCH fragment) goes
// through checking again with our new credentials and keeps receiving,
// on ephemeral ports and on the shared UDP port (whose mux tells peers
// apart by ufrag).
func TestICERestartKeepsPlaying(t *testing.T) {
	t.Run("ephemeral", func(t *testing.T) { restartKeepsPlaying(t, nil) })
	t.Run("shared", func(t *testing.T) { restartKeepsPlaying(t, openNet(t, pionrtc.NetConfig{UDP: "127.0.0.1:0"})) })
}

func restartKeepsPlaying(t *testing.T, n *pionrtc.Net) {
	srv := newServer(t, n)
	cl, offer := offerOf(t, wheptest.H264Opus)
	answer, id := play(t, srv, newViewer(t, offer))
	if err := cl.SetAnswer(answer); err != nil {
		t.Fatal(err)
	}
	mediatest.WaitFor(t, 10*time.Second, "video", func() bool { return cl.Keyframes.Load() > 0 })
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	before := len(cl.ICEStates()) // the restart begins in the client's offer
	frag, err := cl.RestartFragment(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ours, err := srv.Trickle(ctx, "cam", id, []byte(frag))
	if err != nil {
		t.Fatal(err)
	}
	if err := cl.ApplyRestart(string(ours)); err != nil {
		t.Fatal(err)
	}
	mediatest.WaitFor(t, 10*time.Second, "ICE checking, then connected again", func() bool {
		after := cl.ICEStates()[before:]
		i := slices.Index(after, webrtc.ICEConnectionStateChecking)
		return i >= 0 && slices.Contains(after[i:], webrtc.ICEConnectionStateConnected)
	})
	t.Logf("ICE states: %v", cl.ICEStates())
	keys, audio := cl.Keyframes.Load(), cl.Audio.Load()
	mediatest.WaitFor(t, 10*time.Second, "media after the restart", func() bool {
		return cl.Keyframes.Load() > keys+1 && cl.Audio.Load() > audio+50
	})
	if srv.Sessions() != 1 {
		t.Errorf("%d sessions, want the one restarted", srv.Sessions())
	}
}
