//go:build e2e

package rtmp

import (
	"context"
	"errors"
	"net"
	"os/exec"
	"testing"
	"time"

	"streamhive/media"
)

// freePort returns a port that was free a moment ago, for ffmpeg's
// -listen mode, which cannot be handed a listener.
func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	if err := ln.Close(); err != nil {
		t.Fatal(err)
	}
	return addr
}

// ffmpegServe runs ffmpeg as an RTMP server (-listen 1) that plays a
// 320x180 test pattern with a tone to the first client at url.
func ffmpegServe(t *testing.T, url, seconds string) {
	t.Helper()
	if _, err := exec.LookPath("ffmpeg"); err != nil {
		t.Skip("ffmpeg not installed")
	}
	cmd := exec.Command("ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-re",
		"-f", "lavfi", "-i", "testsrc=size=320x180:rate=25",
		"-f", "lavfi", "-i", "sine=sample_rate=44100", "-t", seconds,
		"-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-pix_fmt", "yuv420p",
		"-c:a", "aac", "-f", "flv", "-listen", "1", url)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
}

func TestPullerFromFFmpegServer(t *testing.T) {
	t.Parallel()
	addr := freePort(t)
	url := "rtmp://" + addr + "/live/x"
	ffmpegServe(t, url, "2.4")

	rec := &recorder{}
	stats := &media.InputStats{}
	published := false
	publish := func(tracks []media.Track) (media.Sink, error) {
		if published {
			t.Error("published twice")
		}
		published = true
		rec.tracks = tracks
		return rec, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	// ffmpeg needs a moment to listen: poll with a deadline. Retrying is the
	// test's business; Pull itself never retries.
	var err error
	for {
		err = (&Puller{}).Pull(media.WithInputStats(ctx, stats), url, nil, publish)
		var oe *net.OpError
		if !errors.As(err, &oe) || oe.Op != "dial" || ctx.Err() != nil {
			break
		}
		time.Sleep(20 * time.Millisecond) // polling for ffmpeg's listener
	}
	if err == nil || ctx.Err() != nil {
		t.Fatalf("Pull returned %v (ctx %v); want the connection's end before the deadline", err, ctx.Err())
	}
	tracks, frames := rec.snapshot()
	checkFFmpegTracks(t, tracks)
	checkFFmpegFrames(t, frames, 2.4)
	if stats.Bytes.Load() == 0 || stats.Frames.Load() != uint64(len(frames)) {
		t.Errorf("stats bytes %d frames %d, sink got %d", stats.Bytes.Load(), stats.Frames.Load(), len(frames))
	}
}

func TestPullerStopsOnContext(t *testing.T) {
	t.Parallel()
	addr := freePort(t)
	url := "rtmp://" + addr + "/live/y"
	ffmpegServe(t, url, "30")

	got := make(chan struct{}, 1)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rec := &recorder{}
	publish := func([]media.Track) (media.Sink, error) {
		got <- struct{}{}
		return rec, nil
	}
	done := make(chan error, 1)
	go func() {
		for {
			err := (&Puller{}).Pull(ctx, url, nil, publish)
			var oe *net.OpError
			if errors.As(err, &oe) && oe.Op == "dial" && ctx.Err() == nil {
				time.Sleep(20 * time.Millisecond) // polling for ffmpeg's listener
				continue
			}
			done <- err
			return
		}
	}()
	select {
	case <-got:
	case <-time.After(15 * time.Second):
		t.Fatal("no publish within 15 s")
	}
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Pull returned %v, want context.Canceled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Pull did not return after cancel")
	}
}
