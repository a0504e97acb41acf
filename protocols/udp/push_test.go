package udp

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"streamhive/media"
	"streamhive/media/hub"
	"streamhive/media/mediatest"
	"streamhive/protocols/mpegts/mpegtstest"
)

// TestPushMulticastRoundTrip pushes the test clip to a multicast group on
// the loopback interface (the /IFACE_IP form, TTL 0, loopback on) and
// receives it with the UDP puller joined to that group: the same tracks
// and the video in order arrive.
func TestPushMulticastRoundTrip(t *testing.T) {
	clip, err := mediatest.LoadClip()
	if err != nil {
		t.Fatal(err)
	}
	g, port := group(), freePort(t)
	url := fmt.Sprintf("udp://%s:%d/127.0.0.1", g, port)
	p := startPull(t, url, nil)

	h := hub.New(hub.Options{})
	h.SetTracks(clip.Tracks)
	w := h.NewWriter()
	src := h.Subscribe()
	defer src.Close()
	ctx, cancel := context.WithCancel(context.Background())
	var sent atomic.Uint64
	done := make(chan error, 1)
	go func() {
		done <- (Pusher{}).Push(ctx, url, map[string]string{"ttl": "0", "multicast_loop": "1"}, src, &sent)
	}()
	defer func() {
		cancel()
		<-done
	}()
	// Feed at about real time so that no datagram overflows a socket
	// buffer, until the puller has 30 video frames.
	go func() {
		for _, f := range clip.Loop(20 * time.Second) {
			if ctx.Err() != nil {
				return
			}
			w.WriteFrame(f)
			if f.Track == 0 {
				time.Sleep(10 * time.Millisecond)
			}
		}
	}()
	p.rec.WaitFor(t, 15*time.Second, p.done, "30 video frames", mpegtstest.Frames(0, 30))
	p.stop(t)
	tracks, frames, _ := p.rec.Snapshot()
	if len(tracks) != 2 || tracks[0].Codec != media.CodecH264 || tracks[1].Codec != media.CodecAAC {
		t.Fatalf("received tracks %+v", tracks)
	}
	for _, f := range frames {
		if f.Track == 0 {
			if !f.Keyframe {
				t.Errorf("the first video frame (DTS %v) is not a keyframe", f.DTS)
			}
			break
		}
	}
	mpegtstest.CheckMonotonic(t, frames)
	if sent.Load() == 0 {
		t.Error("no bytes counted as sent")
	}
}
