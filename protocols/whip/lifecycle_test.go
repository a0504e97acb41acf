package whip_test

import (
	"context"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"

	"streamhive/media/mediatest"
	"streamhive/protocols/whip"
	"streamhive/protocols/whip/whiptest"
)

// TestNeverConnects: a publisher that takes the answer and never connects
// is dropped after ConnectTimeout, having published nothing.
func TestNeverConnects(t *testing.T) {
	hooks := &fakeHooks{name: "cam"}
	logs := &mediatest.LogBuffer{}
	srv, err := whip.New(whip.Config{
		Hooks: hooks, Logger: slog.New(slog.NewTextHandler(logs, nil)),
		IPFilter:       func(ip net.IP) bool { return ip.IsLoopback() },
		ConnectTimeout: 300 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	c, err := whiptest.NewClient(whiptest.H264Opus)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = c.Close() }()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	offer, err := c.Offer(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := srv.Offer(ctx, "cam", []byte(offer), nil); err != nil {
		t.Fatal(err)
	}
	if !mediatest.Eventually(5*time.Second, func() bool { return srv.Sessions() == 0 }) {
		t.Fatal("the session is still there")
	}
	if pubs, _, _ := hooks.snapshot(); len(pubs) != 0 || !strings.Contains(logs.String(), "not connected after") {
		t.Errorf("%d publications; log:\n%s", len(pubs), logs)
	}
}
