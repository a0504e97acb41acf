package srt

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"streamhive/media"
	"streamhive/media/hub"
	"streamhive/media/mediatest"
)

// TestPushWithPassphrase pushes the test clip to our SRT listener with a
// passphrase: with the right one the frames arrive as a publication; with
// a wrong one the push fails and nothing is published.
func TestPushWithPassphrase(t *testing.T) {
	const pass = "0123456789abc"
	hooks := newFakeHooks("cam1")
	s, _ := startServer(t, hooks, pass)
	clipFrames, err := mediatest.LoadClip()
	if err != nil {
		t.Fatal(err)
	}
	push := func(ctx context.Context, passphrase string) (chan error, *atomic.Uint64) {
		h := hub.New(hub.Options{})
		h.SetTracks(clipFrames.Tracks)
		w := h.NewWriter()
		src := h.Subscribe()
		t.Cleanup(src.Close)
		go func() {
			for _, f := range clipFrames.Loop(20 * time.Second) {
				if ctx.Err() != nil {
					return
				}
				w.WriteFrame(f)
				if f.Track == 0 {
					time.Sleep(10 * time.Millisecond)
				}
			}
		}()
		var sent atomic.Uint64
		done := make(chan error, 1)
		url := "srt://" + s.Addr().String()
		opts := map[string]string{"streamid": "#!::r=cam1,m=publish", "passphrase": passphrase}
		go func() { done <- (Pusher{}).Push(ctx, url, opts, src, &sent) }()
		return done, &sent
	}

	t.Run("wrong passphrase", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		done, _ := push(ctx, "not-the-passphrase")
		if err := <-done; err == nil || errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("push with a wrong passphrase: %v, want a refusal", err)
		}
		if n, _ := hooks.streams["cam1"].Count(0); n != 0 {
			t.Errorf("%d frames published through a wrong passphrase", n)
		}
	})

	t.Run("right passphrase", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		done, sent := push(ctx, pass)
		rec := hooks.streams["cam1"]
		mediatest.WaitFor(t, 10*time.Second, "30 video frames", func() bool {
			n, keys := rec.Count(0)
			return n >= 30 && keys >= 1
		})
		cancel()
		<-done
		tracks, _, _ := rec.Snapshot()
		if len(tracks) != 2 || tracks[0].Codec != media.CodecH264 || tracks[1].Codec != media.CodecAAC || sent.Load() == 0 {
			t.Errorf("tracks %+v, %d bytes counted", tracks, sent.Load())
		}
	})
}
