//go:build e2e

package rtmp

import (
	"bytes"
	"errors"
	"net"
	"os/exec"
	"strings"
	"testing"
	"time"

	"streamhive/media"
	"streamhive/media/mediatest"
)

// ffmpegPublish runs ffmpeg publishing a 320x180 test pattern with a tone
// to url for seconds of media, in real time when realtime is set.
func ffmpegPublish(t *testing.T, url string, seconds string, realtime bool) *exec.Cmd {
	t.Helper()
	if _, err := exec.LookPath("ffmpeg"); err != nil {
		t.Skip("ffmpeg not installed")
	}
	args := []string{"-hide_banner", "-loglevel", "error", "-nostdin"}
	if realtime {
		args = append(args, "-re")
	}
	args = append(args,
		"-f", "lavfi", "-i", "testsrc=size=320x180:rate=25",
		"-f", "lavfi", "-i", "sine=sample_rate=44100",
		"-t", seconds,
		"-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-pix_fmt", "yuv420p",
		"-c:a", "aac", "-f", "flv", url)
	cmd := exec.Command("ffmpeg", args...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	return cmd
}

func TestServerFFmpegPublishLive(t *testing.T) {
	t.Parallel()
	hooks := newTestHooks("cam1")
	addr, _ := startServer(t, hooks)
	ffmpegPublish(t, "rtmp://"+addr+"/live/cam1", "2.5", true)

	p := waitPublication(t, hooks)
	waitReleased(t, p)
	if p.info.App != "live" || p.info.Key != "cam1" || p.info.Stats == nil {
		t.Errorf("publish info = %+v", p.info)
	}
	tracks, frames := p.rec.snapshot()
	checkFFmpegTracks(t, tracks)
	checkFFmpegFrames(t, frames, 2.5)
	if b := p.info.Stats.Bytes.Load(); b < 10000 {
		t.Errorf("stats bytes = %d", b)
	}
	if n := p.info.Stats.Frames.Load(); n != uint64(len(frames)) {
		t.Errorf("stats frames = %d, sink got %d", n, len(frames))
	}
	if n := p.info.Stats.Errors.Load(); n != 0 {
		t.Errorf("stats errors = %d", n)
	}
}

func TestServerFFmpegPublishAppName(t *testing.T) {
	t.Parallel()
	hooks := newTestHooks("cam2")
	addr, _ := startServer(t, hooks)
	ffmpegPublish(t, "rtmp://"+addr+"/cam2", "2.2", false)

	p := waitPublication(t, hooks)
	waitReleased(t, p)
	if p.name != "cam2" {
		t.Errorf("name = %q", p.name)
	}
	tracks, frames := p.rec.snapshot()
	checkFFmpegTracks(t, tracks)
	checkFFmpegFrames(t, frames, 2.2)
}

// TestServerFFmpegPublishNames: the URL forms of Flussonic's publish names,
// as ffmpeg splits them into app and key, reach the streams they name.
func TestServerFFmpegPublishNames(t *testing.T) {
	t.Parallel()
	hooks := newTestHooks("cam3", "client15/published1")
	addr, _ := startServer(t, hooks)
	for path, want := range map[string]media.StreamName{
		"/static/cam3":         "cam3",
		"/cam3?password=x":     "cam3",
		"/live/cam3?token=t":   "cam3",
		"/client15/published1": "client15/published1",
	} {
		ffmpegPublish(t, "rtmp://"+addr+path, "0.5", false)
		p := waitPublication(t, hooks)
		waitReleased(t, p)
		if p.name != want {
			t.Errorf("%s published %q, want %q", path, p.name, want)
		}
	}
}

func TestServerRefusesUnknownStream(t *testing.T) {
	t.Parallel()
	hooks := newTestHooks("other")
	addr, logs := startServer(t, hooks)
	cmd := ffmpegPublish(t, "rtmp://"+addr+"/live/nosuch", "30", true)

	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err == nil {
			t.Error("ffmpeg exited cleanly; want an error after the server closed the connection")
		}
	case <-time.After(15 * time.Second):
		t.Fatal("ffmpeg still publishing 15 s after a refused publish")
	}
	mediatest.Eventually(5*time.Second, func() bool { return strings.Contains(logs.String(), "publish refused") })
	out := logs.String()
	found := false
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, `msg="rtmp: publish refused"`) && strings.Contains(line, "stream=nosuch") &&
			strings.Contains(line, "no such stream") {
			found = true
		}
	}
	if !found {
		t.Errorf("log does not name the refusal:\n%s", out)
	}
}

func TestServerSurvivesGarbage(t *testing.T) {
	t.Parallel()
	hooks := newTestHooks("cam3")
	addr, _ := startServer(t, hooks)

	nc, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	garbage := bytes.Repeat([]byte{0x03, 0xff, 0x00, 0x42, 0x99}, 4000)
	_, _ = nc.Write(garbage)
	_ = nc.SetReadDeadline(time.Now().Add(10 * time.Second))
	buf := make([]byte, 8192)
	for {
		if _, err := nc.Read(buf); err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				t.Fatal("server kept a garbage connection open for 10 s")
			}
			break // closed by the server
		}
	}
	_ = nc.Close() // the server closed it first

	// The server still takes publishers.
	ffmpegPublish(t, "rtmp://"+addr+"/live/cam3", "1.2", false)
	p := waitPublication(t, hooks)
	waitReleased(t, p)
	_, frames := p.rec.snapshot()
	if len(frames) == 0 {
		t.Error("no frames after the garbage connection")
	}
}

func checkFFmpegTracks(t *testing.T, tracks []media.Track) {
	t.Helper()
	if len(tracks) != 2 {
		t.Fatalf("got %d tracks, want 2: %+v", len(tracks), tracks)
	}
	v, a := tracks[0], tracks[1]
	if v.ID != 0 || v.Codec != media.CodecH264 || v.Width != 320 || v.Height != 180 || len(v.SPS) == 0 || len(v.PPS) == 0 {
		t.Errorf("video track = %+v", v)
	}
	if a.ID != 1 || a.Codec != media.CodecAAC || a.SampleRate != 44100 || a.Channels != 1 || len(a.AudioConfig) < 2 {
		t.Errorf("audio track = %+v", a)
	}
}

// checkFFmpegFrames checks frames from ffmpegPublish: about 25 video frames
// a second with monotonic DTS, PTS >= DTS, a keyframe every 25 frames, and
// audio frames with monotonic DTS.
func checkFFmpegFrames(t *testing.T, frames []*media.Frame, seconds float64) {
	t.Helper()
	var video, audio []*media.Frame
	for _, f := range frames {
		switch f.Track {
		case 0:
			video = append(video, f)
		case 1:
			audio = append(audio, f)
		default:
			t.Fatalf("frame of track %d", f.Track)
		}
	}
	want := int(seconds * 25)
	if len(video) < want-2 || len(video) > want+2 {
		t.Errorf("got %d video frames, want about %d", len(video), want)
	}
	if len(audio) < int(seconds*40) {
		t.Errorf("got %d audio frames, want about %d", len(audio), int(seconds*43))
	}
	for i, f := range video {
		if i > 0 && f.DTS <= video[i-1].DTS {
			t.Errorf("video DTS not monotonic at %d: %v after %v", i, f.DTS, video[i-1].DTS)
		}
		if f.PTS < f.DTS {
			t.Errorf("video frame %d: PTS %v < DTS %v", i, f.PTS, f.DTS)
		}
		if want := i%25 == 0; f.Keyframe != want {
			t.Errorf("video frame %d: keyframe %v, want %v", i, f.Keyframe, want)
		}
		if len(f.Data) == 0 || len(f.Data[0]) == 0 {
			t.Errorf("video frame %d without NALUs", i)
		}
	}
	for i, f := range audio {
		if i > 0 && f.DTS <= audio[i-1].DTS {
			t.Errorf("audio DTS not monotonic at %d: %v after %v", i, f.DTS, audio[i-1].DTS)
		}
		if len(f.Data) != 1 || !f.Keyframe {
			t.Errorf("audio frame %d: %d payloads, keyframe %v", i, len(f.Data), f.Keyframe)
		}
	}
}

// TestServerFFmpegPayloadsCopiedOnce: ffmpeg's chunking (type 3 chunks,
// its timestamps) gives the guard the lengths of every media message
// go-rtmp hands on, so no payload is copied twice.
func TestServerFFmpegPayloadsCopiedOnce(t *testing.T) {
	t.Parallel()
	hooks := newTestHooks("cam1")
	srv, addr := startServerOf(t, hooks)
	ffmpegPublish(t, "rtmp://"+addr+"/live/cam1", "2", true)
	p := waitPublication(t, hooks)
	conn := onlyConn(t, srv)
	waitReleased(t, p)
	if _, frames := p.rec.snapshot(); len(frames) < 50 {
		t.Fatalf("%d frames, want 2 s of them", len(frames))
	}
	checkCopiedOnce(t, conn)
}
