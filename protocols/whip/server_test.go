package whip_test

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/pion/webrtc/v4"

	"streamhive/media"
	"streamhive/media/mediatest"
	"streamhive/protocols/whip"
	"streamhive/protocols/whip/whiptest"
)

func newServer(t *testing.T, hooks whip.Hooks, logs *mediatest.LogBuffer) *whip.Server {
	t.Helper()
	if logs == nil {
		logs = &mediatest.LogBuffer{}
	}
	srv, err := whip.New(whip.Config{
		Hooks:    hooks,
		Logger:   slog.New(slog.NewTextHandler(logs, nil)),
		IPFilter: func(ip net.IP) bool { return ip.IsLoopback() },
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return srv
}

// connect negotiates a client of codecs with srv for stream name.
func connect(t *testing.T, srv *whip.Server, name media.StreamName, codecs whiptest.Codecs) (*whiptest.Client, string) {
	t.Helper()
	c, err := whiptest.NewClient(codecs)
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
	answer, id, err := srv.Offer(ctx, name, []byte(offer), &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 1})
	if err != nil {
		t.Fatalf("Offer: %v", err)
	}
	if err := c.SetAnswer(string(answer)); err != nil {
		t.Fatal(err)
	}
	select {
	case <-c.Connected():
	case <-ctx.Done():
		t.Fatal("the client did not connect")
	}
	return c, id
}

// TestOfferRefused: refusals come back from Offer at once, with a log
// line, and start nothing.
func TestOfferRefused(t *testing.T) {
	hooks := &fakeHooks{name: "cam"}
	logs := &mediatest.LogBuffer{}
	srv := newServer(t, hooks, logs)
	vp8, err := whiptest.NewClient(whiptest.Codecs{Video: webrtc.MimeTypeVP8})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = vp8.Close() }()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	vp8Offer, err := vp8.Offer(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  media.StreamName
		offer string
		want  error
	}{
		{"nope", vp8Offer, errNoSuchStream},
		{"cam", "garbage", whip.ErrBadOffer},
		{"cam", "", whip.ErrBadOffer},
		{"cam", "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n", whip.ErrBadOffer},
		{"cam", vp8Offer, media.ErrUnsupportedCodec},
	} {
		_, _, err := srv.Offer(ctx, tc.name, []byte(tc.offer), nil)
		if !errors.Is(err, tc.want) {
			t.Errorf("Offer(%s, %.20q): %v, want %v", tc.name, tc.offer, err, tc.want)
		}
	}
	if n := strings.Count(logs.String(), "publisher refused"); n != 5 || srv.Sessions() != 0 {
		t.Errorf("%d refusal log lines and %d sessions, want 5 and 0:\n%s", n, srv.Sessions(), logs)
	}
	srv.Close()
	if _, _, err := srv.Offer(ctx, "cam", []byte(vp8Offer), nil); !errors.Is(err, whip.ErrClosed) {
		t.Errorf("Offer after Close: %v, want ErrClosed", err)
	}
}
