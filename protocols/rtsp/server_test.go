package rtsp

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"streamhive/media"
)

// startServer runs a Server on a free loopback port and returns its
// address.
func startServer(t *testing.T, hooks Hooks, logs *logBuffer) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &Server{Hooks: hooks, Logger: logs.logger()}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	t.Cleanup(func() {
		srv.Close()
		if err := <-done; !errors.Is(err, ErrServerClosed) {
			t.Errorf("Serve = %v, want ErrServerClosed", err)
		}
		if t.Failed() {
			t.Logf("server log:\n%s", logs.String())
		}
	})
	return ln.Addr().String()
}

// TestServerTakesFFmpeg: the real ffmpeg publishes H.264 (with B-frames
// over TCP) and AAC over each transport; the hooks see the stream's name,
// both tracks as the SDP describes them, and a timeline every consumer can
// use; the publication is released when ffmpeg leaves.
func TestServerTakesFFmpeg(t *testing.T) {
	needFFmpeg(t)
	for _, tt := range []struct {
		transport string
		bframes   bool
	}{{"tcp", true}, {"udp", false}} {
		t.Run(tt.transport, func(t *testing.T) {
			hooks, logs := &fakeHooks{}, &logBuffer{}
			addr := startServer(t, hooks, logs)
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			ff := ffmpegRTSP(ctx, "rtsp://"+addr+"/live/cam", tt.transport, "aac", tt.bframes, 3*time.Second)
			if out, err := ff.CombinedOutput(); err != nil {
				t.Fatalf("ffmpeg: %v: %s", err, out)
			}
			var pubs []*fakePub
			var released int
			if !eventually(5*time.Second, func() bool { pubs, released = hooks.state(); return released == 1 }) {
				t.Fatalf("%d publications, %d released; want 1 released after ffmpeg left", len(pubs), released)
			}
			p := pubs[0]
			if p.name != "live/cam" || p.info.Path != "live/cam" || p.info.Peer == nil {
				t.Errorf("publication %q %+v, want live/cam with its peer", p.name, p.info)
			}
			tracks, frames := p.rec.snapshot()
			if len(tracks) != 2 || tracks[0].Codec != media.CodecH264 || tracks[0].Width != 320 || tracks[0].Height != 180 ||
				tracks[1].Codec != media.CodecAAC || tracks[1].SampleRate != 48000 || tracks[1].Channels != 1 || len(tracks[1].AudioConfig) == 0 {
				t.Fatalf("tracks %+v, want h264 320x180 and aac 48 kHz mono", tracks)
			}
			checkTimeline(t, tracks, frames)
			// 3 s at 25 fps; ffmpeg may cut the last GOP short of a keyframe.
			if n := p.rec.count(0); n < 60 {
				t.Errorf("%d video frames, want about 75", n)
			}
			if n := p.rec.count(1); n < 100 {
				t.Errorf("%d audio frames, want about 140", n)
			}
			if tt.bframes && !reordered(frames) {
				t.Errorf("no video frame with PTS after DTS: B-frames were not timed")
			}
			if want := "transport=" + strings.ToUpper(tt.transport); !strings.Contains(logs.String(), want) {
				t.Errorf("log lacks %s", want)
			}
			if p.stats.Bytes.Load() == 0 || p.stats.Frames.Load() != uint64(len(frames)) {
				t.Errorf("stats: %d bytes, %d frames; want bytes and %d frames", p.stats.Bytes.Load(), p.stats.Frames.Load(), len(frames))
			}
		})
	}
}

// reordered reports whether some video frame has PTS > DTS.
func reordered(frames []*media.Frame) bool {
	for _, f := range frames {
		if f.Track == 0 && f.PTS > f.DTS {
			return true
		}
	}
	return false
}

// TestServerSkipsG711: ffmpeg publishes H.264 and G.711 A-law; the video
// is published alone, the skipped track is counted and logged.
func TestServerSkipsG711(t *testing.T) {
	needFFmpeg(t)
	hooks, logs := &fakeHooks{}, &logBuffer{}
	addr := startServer(t, hooks, logs)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	ff := ffmpegRTSP(ctx, "rtsp://"+addr+"/cam", "tcp", "pcm_alaw", false, 2*time.Second)
	if out, err := ff.CombinedOutput(); err != nil {
		t.Fatalf("ffmpeg: %v: %s", err, out)
	}
	pubs, _ := hooks.state()
	if len(pubs) != 1 {
		t.Fatalf("%d publications, want 1", len(pubs))
	}
	tracks, frames := pubs[0].rec.snapshot()
	if len(tracks) != 1 || tracks[0].Codec != media.CodecH264 || len(frames) < 25 {
		t.Errorf("tracks %+v with %d frames, want h264 alone, playing", tracks, len(frames))
	}
	if pubs[0].stats.Errors.Load() < 1 {
		t.Errorf("errors %d, want the skipped track counted", pubs[0].stats.Errors.Load())
	}
	if !strings.Contains(logs.String(), "G.711 PCMA 8000 Hz") {
		t.Errorf("log does not name the skipped G.711 track:\n%s", logs.String())
	}
}

// TestServerRefusals: the hooks' refusal and an audio-only G.711 offer
// are answered at ANNOUNCE, so ffmpeg fails at once, and both are logged.
func TestServerRefusals(t *testing.T) {
	needFFmpeg(t)
	hooks, logs := &fakeHooks{refuse: errors.New(`stream "nope": no such stream`)}, &logBuffer{}
	addr := startServer(t, hooks, logs)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if out, err := ffmpegRTSP(ctx, "rtsp://"+addr+"/nope", "tcp", "aac", false, 2*time.Second).CombinedOutput(); err == nil {
		t.Errorf("publishing to a refusing stream succeeded: %s", out)
	}
	g711 := ffmpeg(ctx, "-re", "-f", "lavfi", "-i", "sine", "-c:a", "pcm_mulaw", "-ar", "8000", "-t", "2",
		"-f", "rtsp", "rtsp://"+addr+"/phone")
	if out, err := g711.CombinedOutput(); err == nil {
		t.Errorf("publishing G.711 alone succeeded: %s", out)
	}
	for _, want := range []string{`stream \"nope\": no such stream`, "G.711 PCMU 8000 Hz", "unsupported codec"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log lacks %q", want)
		}
	}
}
