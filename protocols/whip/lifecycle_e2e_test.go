//go:build e2e

package whip_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"streamhive/media/mediatest"
	"streamhive/protocols/whip/whiptest"
)

// TestPublisherGoes: a publisher that closes its connection without a
// DELETE ends its session; the publication is released.
func TestPublisherGoes(t *testing.T) {
	m := testMedia(t)
	hooks := &fakeHooks{name: "cam"}
	logs := &mediatest.LogBuffer{}
	srv := newServer(t, hooks, logs)
	c, _ := connect(t, srv, "cam", whiptest.H264Opus)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { _ = c.Send(ctx, m, 10) }()
	if !mediatest.Eventually(5*time.Second, func() bool { return hooks.count(0) > 0 }) {
		t.Fatal("nothing published")
	}
	_ = c.Close()
	if !mediatest.Eventually(15*time.Second, func() bool { _, _, r := hooks.snapshot(); return r == 1 && srv.Sessions() == 0 }) {
		t.Fatalf("the session outlived its publisher:\n%s", logs)
	}
	if !strings.Contains(logs.String(), "whip: session ended") {
		t.Errorf("no log line for the end:\n%s", logs)
	}
}

// TestResolutionChange: a sender that changes its picture size mid-session
// (as browsers do under congestion) publishes again with the new track;
// the timeline runs on.
func TestResolutionChange(t *testing.T) {
	big, small := testMedia(t), whiptest.MakeMedia(t, "160x120", 1)
	hooks := &fakeHooks{name: "cam"}
	srv := newServer(t, hooks, nil)
	c, _ := connect(t, srv, "cam", whiptest.Codecs{Video: whiptest.H264Opus.Video})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := c.Send(ctx, big, 1); err != nil {
		t.Fatal(err)
	}
	if err := c.Send(ctx, small, 1); err != nil {
		t.Fatal(err)
	}
	if !mediatest.Eventually(3*time.Second, func() bool { pubs, _, _ := hooks.snapshot(); return len(pubs) == 2 && hooks.count(0) >= 25 }) {
		t.Fatalf("publications %d, frames %d", len(hooks.pubs), hooks.count(0))
	}
	pubs, frames, released := hooks.snapshot()
	if pubs[0][0].Width != 320 || pubs[1][0].Width != 160 || pubs[1][0].Height != 120 || released != 1 {
		t.Errorf("publications %+v, %d released; want 320 then 160x120, the first released", pubs, released)
	}
	for i := 1; i < len(frames); i++ {
		if frames[i].DTS <= frames[i-1].DTS {
			t.Fatalf("DTS %v after %v: the timeline went back", frames[i].DTS, frames[i-1].DTS)
		}
	}
}
