package whep_test

import (
	"context"
	"errors"
	"net"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pion/webrtc/v4"

	"streamhive/media"
	"streamhive/media/mediatest"
	"streamhive/protocols/pionrtc"
	"streamhive/protocols/whep"
	"streamhive/protocols/whep/wheptest"
)

func newServer(t *testing.T, n *pionrtc.Net) *whep.Server {
	t.Helper()
	srv, err := whep.New(whep.Config{IPFilter: func(ip net.IP) bool { return ip.IsLoopback() }, Net: n})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return srv
}

// viewer is a Viewer of a fed hub whose OnEnd and Sent the test watches.
type viewer struct {
	whep.Viewer
	ended atomic.Int32
	sent  atomic.Int64
}

func newViewer(t *testing.T, offer string) *viewer {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	h, err := wheptest.Feed(ctx, media.CodecOpus)
	if err != nil {
		t.Fatal(err)
	}
	v := &viewer{}
	v.Viewer = whep.Viewer{
		Name: "cam", Offer: []byte(offer), Frames: h.Subscribe(), Audio: true,
		OnEnd: func() { v.ended.Add(1) }, Sent: func(n int) { v.sent.Add(int64(n)) },
	}
	return v
}

func offerOf(t *testing.T, c wheptest.Codecs) (*wheptest.Client, string) {
	t.Helper()
	cl, err := wheptest.New(c)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cl.Close() })
	return cl, gathered(t, cl)
}

// gathered returns cl's offer with every candidate.
func gathered(t *testing.T, cl *wheptest.Client) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	offer, err := cl.Offer(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return offer
}

func play(t *testing.T, srv *whep.Server, v *viewer) (string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	answer, id, err := srv.Play(ctx, v.Viewer)
	if err != nil {
		t.Fatal(err)
	}
	return string(answer), id
}

// A viewer gets H.264 from a keyframe on and Opus; End ends the session
// once, and a second End finds none.
func TestPlayReceivesRTP(t *testing.T) {
	srv := newServer(t, nil)
	cl, offer := offerOf(t, wheptest.H264Opus)
	v := newViewer(t, offer)
	answer, id := play(t, srv, v)
	if err := cl.SetAnswer(answer); err != nil {
		t.Fatal(err)
	}
	mediatest.WaitFor(t, 10*time.Second, "video and audio RTP", func() bool {
		return cl.Video.Load() > 50 && cl.Audio.Load() > 20 && cl.Keyframes.Load() > 0
	})
	if n := cl.FirstNAL(); n != 7 {
		t.Errorf("first video NAL type %d, want 7 (SPS: a viewer starts at a keyframe)", n)
	}
	if v.sent.Load() == 0 {
		t.Error("no bytes reported to the session")
	}
	if err := srv.End("cam", id); err != nil {
		t.Fatal(err)
	}
	if n := v.ended.Load(); n != 1 {
		t.Errorf("OnEnd called %d times, want 1", n)
	}
	if err := srv.End("cam", id); !errors.Is(err, whep.ErrNoSession) {
		t.Errorf("second End: %v, want ErrNoSession", err)
	}
	if srv.Sessions() != 0 {
		t.Errorf("%d sessions left", srv.Sessions())
	}
}

// Many viewers share one packetisation and each still plays; one UDP
// port carries them all.
func TestSharedPortManyViewers(t *testing.T) {
	n, err := pionrtc.OpenNet(pionrtc.NetConfig{UDP: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(n.Close)
	srv := newServer(t, n)
	port := n.UDPAddrs()[0].(*net.UDPAddr).Port
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	h, err := wheptest.Feed(ctx, media.CodecOpus)
	if err != nil {
		t.Fatal(err)
	}
	var clients []*wheptest.Client
	for range 3 {
		cl, offer := offerOf(t, wheptest.H264Opus)
		v := whep.Viewer{Name: "cam", Offer: []byte(offer), Frames: h.Subscribe(), Audio: true}
		pctx, pcancel := context.WithTimeout(ctx, 5*time.Second)
		answer, _, err := srv.Play(pctx, v)
		pcancel()
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(answer), " 127.0.0.1 "+strconv.Itoa(port)+" typ host") {
			t.Fatalf("answer's candidate is not the shared port %d:\n%s", port, answer)
		}
		if err := cl.SetAnswer(string(answer)); err != nil {
			t.Fatal(err)
		}
		clients = append(clients, cl)
	}
	mediatest.WaitFor(t, 10*time.Second, "video at every viewer", func() bool {
		for _, cl := range clients {
			if cl.Keyframes.Load() == 0 {
				return false
			}
		}
		return true
	})
}

func TestBadOffers(t *testing.T) {
	srv := newServer(t, nil)
	_, vp8 := offerOf(t, wheptest.Codecs{Video: webrtc.MimeTypeVP8, Audio: webrtc.MimeTypePCMU})
	for _, tc := range []struct {
		name, offer string
		codec       bool
	}{
		{"not SDP", "hello", false},
		{"VP8 and PCMU only", vp8, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := newViewer(t, tc.offer)
			_, _, err := srv.Play(context.Background(), v.Viewer)
			if !errors.Is(err, whep.ErrBadOffer) || errors.Is(err, media.ErrUnsupportedCodec) != tc.codec {
				t.Fatalf("err %v, want ErrBadOffer (unsupported codec: %v)", err, tc.codec)
			}
			if v.ended.Load() != 1 {
				t.Error("OnEnd not called for a refused offer")
			}
		})
	}
}

// A session whose viewer is kicked ends at once.
func TestEndedClosesSession(t *testing.T) {
	srv := newServer(t, nil)
	cl, offer := offerOf(t, wheptest.H264Opus)
	v := newViewer(t, offer)
	kick := make(chan struct{})
	v.Ended = kick
	answer, _ := play(t, srv, v)
	if err := cl.SetAnswer(answer); err != nil {
		t.Fatal(err)
	}
	mediatest.WaitFor(t, 10*time.Second, "video", func() bool { return cl.Video.Load() > 0 })
	close(kick)
	mediatest.WaitFor(t, 5*time.Second, "the session's end", func() bool { return v.ended.Load() == 1 && srv.Sessions() == 0 })
}

// Trickled candidates are taken; new credentials restart ICE and get ours.
func TestTrickleAndRestart(t *testing.T) {
	srv := newServer(t, nil)
	cl, offer := offerOf(t, wheptest.H264Opus)
	v := newViewer(t, offer)
	answer, id := play(t, srv, v)
	if err := cl.SetAnswer(answer); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	cand := "a=candidate:1 1 udp 2130706431 127.0.0.1 9 typ host\r\na=end-of-candidates\r\n"
	if frag, err := srv.Trickle(ctx, "cam", id, []byte(cand)); err != nil || frag != nil {
		t.Fatalf("trickle: %q, %v", frag, err)
	}
	frag, err := srv.Trickle(ctx, "cam", id, []byte("a=ice-ufrag:abcd\r\na=ice-pwd:0123456789abcdef0123456789\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	oldUfrag := value(answer, "ice-ufrag")
	if u := value(string(frag), "ice-ufrag"); u == "" || u == oldUfrag || !strings.Contains(string(frag), "a=candidate:") {
		t.Fatalf("restart answered %q (old ufrag %q)", frag, oldUfrag)
	}
	if _, err := srv.Trickle(ctx, "cam", id, []byte("a=ice-ufrag:x\r\n")); !errors.Is(err, whep.ErrBadFragment) {
		t.Errorf("ufrag without pwd: %v", err)
	}
	if _, err := srv.Trickle(ctx, "other", id, []byte(cand)); !errors.Is(err, whep.ErrNoSession) {
		t.Errorf("another stream's session: %v", err)
	}
}

func value(sdp, key string) string {
	for _, l := range strings.Split(sdp, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(l), "a="+key+":"); ok {
			return v
		}
	}
	return ""
}
