package rtsp

import (
	"context"
	"errors"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"streamhive/media"
	"streamhive/media/mediatest"
	"streamhive/protocols/rtsp/rtsptest"
)

// startServer runs a Server on a free loopback port and returns its
// address.
func startServer(t *testing.T, hooks Hooks, logs *mediatest.LogBuffer) string {
	t.Helper()
	return startServerOn(t, "127.0.0.1:0", hooks, logs)
}

// startServerOn runs a Server on address and returns the loopback address
// to reach it at.
func startServerOn(t *testing.T, address string, hooks Hooks, logs *mediatest.LogBuffer) string {
	t.Helper()
	ln, err := net.Listen("tcp", address)
	if err != nil {
		t.Fatal(err)
	}
	srv := &Server{Hooks: hooks, Logger: debugLogger(logs)}
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
	return net.JoinHostPort("127.0.0.1", strconv.Itoa(ln.Addr().(*net.TCPAddr).Port))
}

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

// TestServerSurvivesGarbage: connections that send bytes that are not
// RTSP, or stop mid-request, are closed; the server keeps answering.
func TestServerSurvivesGarbage(t *testing.T) {
	hooks, logs := &fakeHooks{}, &mediatest.LogBuffer{}
	addr := startServer(t, hooks, logs)
	for _, junk := range []string{
		"\x00\x01\x02\x03\xff\xfe",
		"GET / HTTP/1.1\r\nHost: x\r\n\r\n",
		"ANNOUNCE rtsp://" + addr + "/cam RTSP/1.0\r\nCSeq: 1\r\nContent-Type: application/sdp\r\nContent-Length: 12\r\n\r\nv=0\r\nm=junk",
		"ANNOUNCE rtsp://" + addr + "/cam RTSP/1.0\r\nCSeq: 1\r\nContent-Length: 99999999\r\n\r\n",
		"SETUP rtsp://" + addr + "/cam/trackID=0 RTSP/1.0\r\nCSeq: 1\r\nTransport: RTP/AVP/TCP;interleaved=0-1\r\n\r\n",
		"RECORD rtsp://" + addr + "/cam RTSP/1.0\r\nCSeq: 1\r\n\r\n",
		"$\x00\x00\x10garbage",
	} {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		_ = c.SetDeadline(time.Now().Add(300 * time.Millisecond)) // some junk is answered, some waited on
		_, _ = c.Write([]byte(junk))
		_, _ = c.Read(make([]byte, 1024))
		_ = c.Close()
	}
	// The server still answers a well-formed request.
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = c.Close() }()
	_ = c.SetDeadline(time.Now().Add(2 * time.Second))
	if _, err := c.Write([]byte("OPTIONS rtsp://" + addr + "/cam RTSP/1.0\r\nCSeq: 1\r\n\r\n")); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 1024)
	n, _ := c.Read(buf)
	if !strings.HasPrefix(string(buf[:n]), "RTSP/1.0 200") {
		t.Errorf("OPTIONS answered %q", buf[:n])
	}
	if pubs, _ := hooks.state(); len(pubs) != 0 {
		t.Errorf("garbage published %d times", len(pubs))
	}
}
