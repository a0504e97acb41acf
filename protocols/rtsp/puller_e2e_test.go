//go:build e2e

package rtsp

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"streamhive/media"
	"streamhive/media/mediatest"
	"streamhive/protocols/rtsp/rtsptest"
)

// TestPullFromCamera: ffmpeg publishes into a gortsplib camera; Pull plays
// it over TCP (the default and rtsp_tcp), UDP (rtp=udp) and either
// (rtsp_tcp=false), with
// credentials in the URL, until cancelled.
func TestPullFromCamera(t *testing.T) {
	t.Parallel() // real time: mostly waiting
	cam := rtsptest.StartCamera(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ff := rtsptest.FFmpeg(ctx, t, "rtsp://"+cam.Addr+"/cam", "tcp", rtsptest.X264(true), "aac", 6*time.Second)
	if err := ff.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = ff.Process.Kill(); _ = ff.Wait() }()
	cam.WaitPublishing(t, 5*time.Second)

	// The pulls run side by side, each on its own path: the camera serves
	// the publisher on every path.
	var wg sync.WaitGroup
	for _, tt := range []struct {
		name    string
		options map[string]string
		want    string
	}{
		{"default", nil, "transport=tcp"},
		{"rtsp_tcp", map[string]string{"rtsp_tcp": "true"}, "transport=tcp"},
		{"udp", map[string]string{"rtp": "udp"}, "transport=udp"},
		{"auto", map[string]string{"rtsp_tcp": "false"}, "transport=auto"},
	} {
		wg.Go(func() {
			logs := &mediatest.LogBuffer{}
			pctx, stop := context.WithCancel(ctx)
			defer stop()
			rec, stats, done := pullInto(pctx, &Puller{Logger: debugLogger(logs)}, "rtsp://user:secret@"+cam.Addr+"/"+tt.name, tt.options)
			if !mediatest.Eventually(5*time.Second, func() bool { return rec.count(0) >= 50 && rec.count(1) >= 50 }) {
				t.Errorf("%s: %d video and %d audio frames in 5 s, want 50 of each", tt.name, rec.count(0), rec.count(1))
			}
			stop()
			if err := <-done; !errors.Is(err, context.Canceled) {
				t.Errorf("%s: Pull = %v, want context.Canceled", tt.name, err)
			}
			tracks, frames := rec.snapshot()
			if len(tracks) != 2 || tracks[0].Codec != media.CodecH264 || tracks[0].Width != 320 || tracks[1].Codec != media.CodecAAC {
				t.Errorf("%s: tracks %+v, want h264 320x180 and aac", tt.name, tracks)
				return
			}
			checkTimeline(t, tracks, frames)
			if !reordered(frames) {
				t.Errorf("%s: no B-frame timed with PTS after DTS", tt.name)
			}
			if stats.Bytes.Load() == 0 || stats.Frames.Load() == 0 {
				t.Errorf("%s: stats %d bytes, %d frames", tt.name, stats.Bytes.Load(), stats.Frames.Load())
			}
			if l := logs.String(); !strings.Contains(l, tt.want) || strings.Contains(l, "secret") {
				t.Errorf("%s: log lacks %s or shows the password:\n%s", tt.name, tt.want, l)
			}
		})
	}
	wg.Wait()
}

// TestPullSkipsG711: a camera with H.264 and G.711 plays its video; the
// G.711 track is logged and counted, not set up.
func TestPullSkipsG711(t *testing.T) {
	t.Parallel() // real time: mostly waiting
	cam := rtsptest.StartCamera(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ff := rtsptest.FFmpeg(ctx, t, "rtsp://"+cam.Addr+"/cam", "tcp", rtsptest.X264(false), "pcm_alaw", 5*time.Second)
	if err := ff.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = ff.Process.Kill(); _ = ff.Wait() }()
	cam.WaitPublishing(t, 5*time.Second)
	logs := &mediatest.LogBuffer{}
	pctx, stop := context.WithCancel(ctx)
	defer stop()
	rec, stats, done := pullInto(pctx, &Puller{Logger: debugLogger(logs)}, "rtsp://"+cam.Addr+"/cam", nil)
	if !mediatest.Eventually(5*time.Second, func() bool { return rec.count(0) >= 25 }) {
		t.Fatalf("%d video frames in 5 s", rec.count(0))
	}
	stop()
	<-done
	if tracks, _ := rec.snapshot(); len(tracks) != 1 || tracks[0].Codec != media.CodecH264 {
		t.Errorf("tracks %+v, want h264 alone", tracks)
	}
	if stats.Errors.Load() != 1 || !strings.Contains(logs.String(), "G.711 PCMA 8000 Hz") {
		t.Errorf("errors %d, want 1; log:\n%s", stats.Errors.Load(), logs.String())
	}
}
