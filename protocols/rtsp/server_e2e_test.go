//go:build e2e

package rtsp

import (
	"context"
	"errors"
	"os/exec"
	"strings"
	"testing"
	"time"

	"streamhive/media"
	"streamhive/media/mediatest"
	"streamhive/protocols/rtsp/rtsptest"
)

// TestServerTakesFFmpeg: the real ffmpeg publishes H.264 (with B-frames
// over TCP) and AAC over each transport; the hooks see the stream's name,
// both tracks as the SDP describes them, and a timeline every consumer can
// use; the publication is released when ffmpeg leaves.
func TestServerTakesFFmpeg(t *testing.T) {
	t.Parallel() // real time: mostly waiting
	for _, tt := range []struct {
		name, listen, transport string
		bframes                 bool
	}{
		{"tcp", "127.0.0.1:0", "tcp", true},
		{"udp", "127.0.0.1:0", "udp", false},
		{"udp on all interfaces", ":0", "udp", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			hooks, logs := &fakeHooks{}, &mediatest.LogBuffer{}
			addr := startServerOn(t, tt.listen, hooks, logs)
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			ff := rtsptest.FFmpeg(ctx, t, "rtsp://"+addr+"/live/cam", tt.transport, rtsptest.X264(tt.bframes), "aac", 3*time.Second)
			if out, err := ff.CombinedOutput(); err != nil {
				t.Fatalf("ffmpeg: %v: %s", err, out)
			}
			var pubs []*fakePub
			var released int
			if !mediatest.Eventually(5*time.Second, func() bool { pubs, released = hooks.state(); return released == 1 }) {
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
	t.Parallel() // real time: mostly waiting
	hooks, logs := &fakeHooks{}, &mediatest.LogBuffer{}
	addr := startServer(t, hooks, logs)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	ff := rtsptest.FFmpeg(ctx, t, "rtsp://"+addr+"/cam", "tcp", rtsptest.X264(false), "pcm_alaw", 2*time.Second)
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
	t.Parallel() // real time: mostly waiting
	hooks, logs := &fakeHooks{refuse: errors.New(`stream "nope": no such stream`)}, &mediatest.LogBuffer{}
	addr := startServer(t, hooks, logs)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if out, err := rtsptest.FFmpeg(ctx, t, "rtsp://"+addr+"/nope", "tcp", rtsptest.X264(false), "aac", 2*time.Second).CombinedOutput(); err == nil {
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

// TestServerTakesH265AndOpus: H.265 with B-frames and Opus, over UDP.
func TestServerTakesH265AndOpus(t *testing.T) {
	t.Parallel() // real time: mostly waiting
	hooks, logs := &fakeHooks{}, &mediatest.LogBuffer{}
	addr := startServer(t, hooks, logs)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if out, err := rtsptest.FFmpeg(ctx, t, "rtsp://"+addr+"/hevc", "udp", rtsptest.X265(), "libopus", 2*time.Second).CombinedOutput(); err != nil {
		t.Fatalf("ffmpeg: %v: %s", err, out)
	}
	pubs, _ := hooks.state()
	if len(pubs) != 1 {
		t.Fatalf("%d publications, want 1", len(pubs))
	}
	tracks, frames := pubs[0].rec.snapshot()
	if len(tracks) != 2 || tracks[0].Codec != media.CodecH265 || tracks[0].Width != 320 || len(tracks[0].VPS) == 0 ||
		tracks[1].Codec != media.CodecOpus || tracks[1].SampleRate != 48000 {
		t.Fatalf("tracks %+v, want h265 320x180 with its VPS, and opus", tracks)
	}
	checkTimeline(t, tracks, frames)
	if n := pubs[0].rec.count(0); n < 25 {
		t.Errorf("%d video frames, want about 50", n)
	}
	if n := pubs[0].rec.count(1); n < 50 {
		t.Errorf("%d audio frames, want about 100", n)
	}
	if !reordered(frames) {
		t.Errorf("no H.265 frame with PTS after DTS: B-frames were not timed")
	}
}

// ffmpeg runs ffmpeg quietly with args.
func ffmpeg(ctx context.Context, args ...string) *exec.Cmd {
	return exec.CommandContext(ctx, "ffmpeg", append([]string{"-hide_banner", "-loglevel", "error", "-nostdin"}, args...)...)
}
