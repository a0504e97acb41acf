//go:build e2e

package server_test

import (
	"context"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"streamhive/actors/input"
	"streamhive/actors/server"
	"streamhive/media"
	"streamhive/media/mediatest"
	"streamhive/media/stats"
	"streamhive/protocols/rtsp"
	"streamhive/protocols/rtsp/rtsptest"
)

// startRTSPServer runs the real server (real sockets, real time) with
// conf and the rtsp:// puller.
func startRTSPServer(t *testing.T, conf string) (*server.Server, *mediatest.LogBuffer) {
	t.Helper()
	return startRealServer(t, conf, input.Pullers{"rtsp": &rtsp.Puller{Timeout: 2 * time.Second}})
}

// packaged waits until stream name has two segments and media_info with
// want tracks, and returns its stats.
func packaged(t *testing.T, s *server.Server, name string, tracks int) stats.Stream {
	t.Helper()
	var st stats.Stream
	ok := mediatest.Eventually(10*time.Second, func() bool {
		pb, _ := s.Playback(name)
		st, _ = s.Stats(name)
		return pb.Segmenter() != nil && len(pb.Segmenter().Window().Segments) >= 2 &&
			len(st.Tracks) == tracks
	})
	if !ok {
		t.Fatalf("%s: no segments with %d tracks within 10 s: %+v", name, tracks, st)
	}
	if v := st.Tracks[0]; v.Codec != media.CodecH264 || v.Width != 320 || v.Height != 180 {
		t.Errorf("%s: video %+v, want h264 320x180", name, v)
	}
	if !st.Alive || st.State != "running" || st.Inputs[0].State != "running" || st.Inputs[0].Bytes == 0 {
		t.Errorf("%s: stats %+v, want alive, running, the input counting bytes", name, st)
	}
	return st
}

// TestRTSPPublishIsPackaged: the real ffmpeg publishes over TCP and over
// UDP to the RTSP listener; each stream is packaged, and waits again once
// ffmpeg has left. Publishing to an unknown stream is refused and logged.
func TestRTSPPublishIsPackaged(t *testing.T) {
	s, logs := startRTSPServer(t, `
rtsp 127.0.0.1:0;
stream tcp { input publish://; segment_duration 1; }
stream udp { input publish://; segment_duration 1; }
`)
	addr := s.RTSPAddrs()[0].String()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	for _, transport := range []string{"tcp", "udp"} {
		ff := rtsptest.FFmpeg(ctx, t, "rtsp://"+addr+"/"+transport, transport, rtsptest.X264(true), "aac", 4*time.Second)
		var out strings.Builder
		ff.Stdout, ff.Stderr = &out, &out
		if err := ff.Start(); err != nil {
			t.Fatal(err)
		}
		wg.Go(func() {
			defer func() {
				if err := ff.Wait(); err != nil {
					t.Errorf("ffmpeg over %s: %v: %s", transport, err, out.String())
				}
			}()
			st := packaged(t, s, transport, 2)
			if a := st.Tracks[1]; a.Codec != media.CodecAAC || a.SampleRate != 48000 {
				t.Errorf("%s: audio %+v, want aac 48 kHz", transport, a)
			}
		})
	}
	wg.Wait()
	for _, name := range []string{"tcp", "udp"} {
		if !mediatest.Eventually(5*time.Second, func() bool { st, _ := s.Stats(name); return !st.Alive && st.State == "waiting" }) {
			st, _ := s.Stats(name)
			t.Errorf("%s: %+v after the publisher left, want waiting", name, st)
		}
	}
	if !strings.Contains(logs.String(), "transport=UDP") {
		t.Errorf("the UDP publisher did not record over UDP")
	}

	out, err := rtsptest.FFmpeg(ctx, t, "rtsp://"+addr+"/nope", "tcp", rtsptest.X264(false), "", time.Second).CombinedOutput()
	if err == nil {
		t.Errorf("publishing to an unknown stream succeeded: %s", out)
	}
	if !mediatest.Eventually(2*time.Second, func() bool { return strings.Contains(logs.String(), `stream \"nope\": no such stream`) }) {
		t.Errorf("the refusal is not logged")
	}
}

// TestRTSPPullIsPackaged: streams pull a camera (gortsplib's server fed by
// ffmpeg) over TCP and over UDP, and one with a G.711 track plays its
// video alone and counts the skipped track. An input whose server answers
// nonsense fails and is retried while the others play on.
func TestRTSPPullIsPackaged(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cam, phone := rtsptest.StartCamera(t), rtsptest.StartCamera(t)
	for _, c := range []struct {
		cam   *rtsptest.Camera
		audio string
	}{{cam, "aac"}, {phone, "pcm_alaw"}} {
		ff := rtsptest.FFmpeg(ctx, t, "rtsp://"+c.cam.Addr+"/src", "tcp", rtsptest.X264(false), c.audio, 15*time.Second)
		if err := ff.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = ff.Process.Kill(); _ = ff.Wait() })
		c.cam.WaitPublishing(t, 5*time.Second)
	}
	garbage := nonsenseServer(t)

	s, _ := startRTSPServer(t, fmt.Sprintf(`
stream tcp { input rtsp://user:pass@%[1]s/tcp; segment_duration 1; }
stream udp { input rtsp://%[1]s/udp rtp=udp; segment_duration 1; }
stream g711 { input rtsp://%[2]s/g711; segment_duration 1; }
stream broken { input rtsp://%[3]s/cam; }
`, cam.Addr, phone.Addr, garbage))

	var wg sync.WaitGroup
	for _, name := range []string{"tcp", "udp", "g711"} {
		wg.Go(func() {
			tracks := 2
			if name == "g711" {
				tracks = 1
			}
			st := packaged(t, s, name, tracks)
			if in := st.Inputs[0]; name == "g711" && in.Failures+in.Dropped < 1 {
				t.Errorf("g711: input errors %d, want the skipped G.711 track counted", in.Failures+in.Dropped)
			}
		})
	}
	wg.Wait()
	st, _ := s.Stats("broken")
	t.Logf("broken: status %q, input %+v", st.State, st.Inputs[0])
	if st.Alive || st.Inputs[0].LastError == "" {
		t.Errorf("broken: %+v, want not alive with the input's error", st)
	}
}

// nonsenseServer answers every connection with bytes that are not RTSP
// and hangs up.
func nonsenseServer(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			_, _ = c.Write([]byte("HTTP/1.1 400 Bad Request\r\n\r\n\x00\xff nonsense\r\n"))
			_ = c.Close()
		}
	}()
	return ln.Addr().String()
}

// TestRTSPPullRecovers: when the camera's source goes away the input
// fails and its supervisor retries; when the source returns, the stream
// plays again.
func TestRTSPPullRecovers(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 40*time.Second)
	defer cancel()
	cam := rtsptest.StartCamera(t)
	feed := func(d time.Duration) {
		ff := rtsptest.FFmpeg(ctx, t, "rtsp://"+cam.Addr+"/src", "tcp", rtsptest.X264(false), "aac", d)
		if err := ff.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = ff.Process.Kill(); _ = ff.Wait() })
		cam.WaitPublishing(t, 5*time.Second)
	}
	feed(3 * time.Second)
	s, _ := startRTSPServer(t, fmt.Sprintf("stream cam { input rtsp://%s/cam; segment_duration 1; }\n", cam.Addr))
	packaged(t, s, "cam", 2)

	var st stats.Stream
	// The puller notices a silent camera after its 10 s read timeout; on a
	// loaded 2-core machine that plus the restart can pass 10 s.
	if !mediatest.Eventually(20*time.Second, func() bool { st, _ = s.Stats("cam"); return !st.Alive && st.Inputs[0].LastError != "" }) {
		t.Fatalf("still alive after the source left: %+v", st)
	}
	frames := st.Inputs[0].Frames
	feed(10 * time.Second)
	if !mediatest.Eventually(15*time.Second, func() bool {
		st, _ = s.Stats("cam")
		return st.Alive && st.State == "running" && st.Inputs[0].Restarts > 0 && st.Inputs[0].Frames > frames
	}) {
		t.Errorf("not playing again after the source returned: %+v", st)
	}
}
