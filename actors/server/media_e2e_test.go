//go:build e2e

package server_test

import (
	"bytes"
	"context"
	"image/jpeg"
	"os/exec"
	"strings"
	"testing"
	"time"

	"streamhive/actors/server"
	"streamhive/media"
	"streamhive/media/mediatest"
	"streamhive/media/stats"
)

// startFFmpegServer is startMediaServer for a test that runs ffmpeg.
func startFFmpegServer(t *testing.T) (*server.Server, *mediatest.LogBuffer) {
	t.Helper()
	if _, err := exec.LookPath("ffmpeg"); err != nil {
		t.Skip("ffmpeg not installed")
	}
	return startMediaServer(t)
}

// publish runs ffmpeg publishing a test pattern with a tone (H.264 +
// AAC, one keyframe a second) to url for d, in real time.
func publish(ctx context.Context, url string, d time.Duration) *exec.Cmd {
	return exec.CommandContext(ctx, "ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin",
		"-re", "-f", "lavfi", "-i", "testsrc=size=320x180:rate=25",
		"-re", "-f", "lavfi", "-i", "sine",
		"-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "25",
		"-c:a", "aac", "-t", strings.TrimSuffix(d.String(), "s"), "-f", "flv", url)
}

// TestRTMPPublishIsPackaged publishes with the real ffmpeg into a
// publish:// stream: the stream's segmenter fills and its stats show the
// publisher's media; when ffmpeg ends the stream waits again.
func TestRTMPPublishIsPackaged(t *testing.T) {
	s, _ := startFFmpegServer(t)
	addr := s.RTMPAddrs()[0].String()

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ff := publish(ctx, "rtmp://"+addr+"/live/cam", 4*time.Second)
	var out bytes.Buffer
	ff.Stdout, ff.Stderr = &out, &out
	if err := ff.Start(); err != nil {
		t.Fatal(err)
	}

	var st stats.Stream
	ok := mediatest.Eventually(8*time.Second, func() bool {
		pb, _ := s.Playback("cam")
		st, _ = s.Stats("cam")
		return pb.Segmenter() != nil && len(pb.Segmenter().Window().Segments) >= 2 && st.Bitrate > 0 &&
			len(st.Tracks) == 2 && st.Tracks[0].FPS > 0
	})
	if !ok {
		t.Fatalf("no segments and stats within 8 s of publishing: %+v; ffmpeg: %s", st, out.String())
	}
	if !st.Alive || st.State != "running" || st.Inputs[0].State != "running" || st.Inputs[0].Bytes == 0 {
		t.Errorf("stats %+v, want alive, running, the input counting bytes", st)
	}
	if v := st.Tracks[0]; v.Codec != media.CodecH264 || v.Width != 320 || v.Height != 180 || v.FPS != 25 {
		t.Errorf("video %+v, want h264 320x180 at 25 fps", v)
	}
	if a := st.Tracks[1]; a.Codec != media.CodecAAC || a.SampleRate != 44100 || a.Channels != 1 {
		t.Errorf("audio %+v, want aac 44100 Hz mono (lavfi sine)", a)
	}
	if st.LastFrame.IsZero() || st.LastFrameAgo > time.Second {
		t.Errorf("last frame %v ago, want under a second while publishing", st.LastFrameAgo)
	}
	pb, _ := s.Playback("cam")
	for _, seg := range pb.Segmenter().Window().Segments {
		if len(seg.MPEGTS()) == 0 || len(seg.CMAF) != 2 || seg.Duration < 900*time.Millisecond || seg.Duration > 2100*time.Millisecond {
			t.Errorf("segment %d: %d TS bytes, %d CMAF tracks, %v; want both forms, about 1 s", seg.MSN, len(seg.MPEGTS()), len(seg.CMAF), seg.Duration)
		}
	}
	pic, err := pb.Preview(ctx)
	if err != nil {
		t.Fatalf("Preview: %v", err)
	}
	if img, err := jpeg.Decode(bytes.NewReader(pic)); err != nil || img.Bounds().Dx() != 320 {
		t.Errorf("preview: %v, want a 320-pixel-wide JPEG", err)
	}

	if err := ff.Wait(); err != nil {
		t.Errorf("ffmpeg: %v: %s", err, out.String())
	}
	if !mediatest.Eventually(5*time.Second, func() bool { st, _ = s.Stats("cam"); return !st.Alive }) {
		t.Errorf("still alive after the publisher left: %+v", st)
	}
	if st.State != "waiting" || st.Tracks != nil {
		t.Errorf("after the publisher left: %+v, want waiting, no media_info", st)
	}
}

// TestRTMPPublishToUnknownStreamIsRefused: ffmpeg fails and the server
// logs why, naming the stream.
func TestRTMPPublishToUnknownStreamIsRefused(t *testing.T) {
	s, logs := startFFmpegServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for _, name := range []string{"nope", "demo"} { // unknown; no publish:// input
		ff := publish(ctx, "rtmp://"+s.RTMPAddrs()[0].String()+"/live/"+name, 3*time.Second)
		if out, err := ff.CombinedOutput(); err == nil {
			t.Errorf("publishing to %q succeeded: %s", name, out)
		}
	}
	want := []string{`stream \"nope\": no such stream`, `stream \"demo\": stream has no publish:// input`}
	for _, w := range want {
		if !mediatest.Eventually(2*time.Second, func() bool { return strings.Contains(logs.String(), w) }) {
			t.Errorf("server log lacks %q", w)
		}
	}
}
