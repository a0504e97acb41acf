package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"streamhive/bench/internal/benchkit"
	"streamhive/bench/internal/rtmppub"
)

// streamName is the one stream every viewer plays.
const streamName = "s1"

// server is a running StreamHive (or MediaMTX, -mediamtx) with stream s1
// fed by an RTMP publisher.
type server struct {
	name             string // "streamhive" or "mediamtx"
	pid              int
	cmd              *exec.Cmd
	http, rtmp, rtsp string // 127.0.0.1:PORT
	srt              string // the SRT listener viewers request s1 from
	webrtc           string // the one UDP port every WebRTC peer shares
	urls             urls
	stopPublish      context.CancelFunc
	published        chan error
	alive            func() bool // s1 is up with video and audio
}

// urls are where the viewers of each protocol play s1.
type urls struct {
	hls, rtmp, rtsp, srt, whep string
}

// startServer encodes the sample, writes a config with every listener and
// stream s1, starts the binary and the publisher, and waits until s1 is
// alive with video and audio.
func startServer(ctx context.Context, o options, dir string, smp *rtmppub.Sample) (*server, error) {
	s := &server{name: "streamhive"}
	if err := s.listeners(); err != nil {
		return nil, err
	}
	conf := fmt.Sprintf("http %s;\nrtmp %s;\nrtsp %s;\nsrt %s;\nstream %s { input publish://; }\n",
		s.http, s.rtmp, s.rtsp, s.srt, streamName)
	path := filepath.Join(dir, "streamhive.conf")
	if err := os.WriteFile(path, []byte(conf), 0o644); err != nil {
		return nil, err
	}
	s.urls = urls{
		hls:  "http://" + s.http + "/" + streamName + "/index.m3u8",
		rtmp: "rtmp://" + s.rtmp + "/live/" + streamName,
		rtsp: "rtsp://" + s.rtsp + "/" + streamName,
		srt:  "srt://" + s.srt + "?streamid=#!::r=" + streamName + ",m=request",
		whep: "http://" + s.http + "/" + streamName + "/whep",
	}
	s.alive = s.streamhiveAlive
	ready := func() bool { return benchkit.HTTPOK("http://" + s.http + "/streamer/api/v3/monitoring/readiness") }
	args := []string{"-config", path, "-webrtc-udp", s.webrtc}
	if err := s.start(ctx, o.bin, args, filepath.Join(dir, "server.log"), ready); err != nil {
		return nil, err
	}
	return s, s.publish(ctx, smp)
}

// loadSample encodes the sample and reads it for the publisher. Against
// MediaMTX too it has no B-frames: MediaMTX closes a WebRTC viewer of an
// H.264 stream with B-frames, and both servers must play the same stream.
func loadSample(ctx context.Context, o options, dir string) (*rtmppub.Sample, error) {
	var x264 []string
	if o.mediamtx != "" {
		x264 = []string{"-bf", "0"}
	}
	return benchkit.RTMPSample(ctx, dir, o.seconds, x264...)
}

// publish starts the publisher of s1 and waits until s1 is alive with
// video and audio.
func (s *server) publish(ctx context.Context, smp *rtmppub.Sample) error {
	pctx, cancel := context.WithCancel(ctx)
	s.stopPublish, s.published = cancel, make(chan error, 1)
	pub := &rtmppub.Publisher{Addr: s.rtmp, App: "live", Key: streamName, Sample: smp}
	go func() { s.published <- pub.Run(pctx, func() {}) }()
	for deadline := time.Now().Add(30 * time.Second); !s.alive(); time.Sleep(200 * time.Millisecond) {
		if time.Now().After(deadline) {
			s.stop()
			return fmt.Errorf("%s: stream s1 not alive with video and audio in 30 s", s.name)
		}
	}
	return nil
}

// listeners picks a free loopback port for each listener.
func (s *server) listeners() error {
	for _, l := range []struct {
		addr    *string
		network string
	}{{&s.http, "tcp"}, {&s.rtmp, "tcp"}, {&s.rtsp, "tcp"}, {&s.srt, "udp"}, {&s.webrtc, "udp"}} {
		p, err := benchkit.FreePort(l.network)
		if err != nil {
			return err
		}
		*l.addr = fmt.Sprintf("127.0.0.1:%d", p)
	}
	return nil
}

// start runs bin with args, its output in logPath, until ready says so.
func (s *server) start(ctx context.Context, bin string, args []string, logPath string, ready func() bool) error {
	log, err := os.Create(logPath)
	if err != nil {
		return err
	}
	defer func() { _ = log.Close() }() // the child has its own descriptor
	if bin, err = filepath.Abs(bin); err != nil {
		return err
	}
	s.cmd = exec.CommandContext(ctx, bin, args...)
	s.cmd.Dir = filepath.Dir(logPath) // what a server writes beside its config stays in the run's directory
	s.cmd.Stdout, s.cmd.Stderr = log, log
	if err := s.cmd.Start(); err != nil {
		return err
	}
	s.pid = s.cmd.Process.Pid
	for deadline := time.Now().Add(30 * time.Second); !ready(); time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			s.stop()
			return fmt.Errorf("%s not ready in 30 s (log: %s)", s.name, logPath)
		}
	}
	return nil
}

func (s *server) stop() {
	if s.stopPublish != nil {
		s.stopPublish()
	}
	_ = s.cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { _ = s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = s.cmd.Process.Kill()
		<-done
	}
}

// streamhiveAlive reports whether s1 is alive with at least two tracks.
func (s *server) streamhiveAlive() bool {
	resp, err := http.Get("http://" + s.http + "/streamer/api/v3/streams/" + streamName) //nolint:noctx // loopback
	if err != nil {
		return false
	}
	defer func() { _ = resp.Body.Close() }()
	var st struct {
		Stats struct {
			Alive     bool `json:"alive"`
			MediaInfo struct {
				Tracks []json.RawMessage `json:"tracks"`
			} `json:"media_info"`
		} `json:"stats"`
	}
	return json.NewDecoder(resp.Body).Decode(&st) == nil && st.Stats.Alive && len(st.Stats.MediaInfo.Tracks) >= 2
}

// baseline measures the server with the publisher and no viewers.
func (s *server) baseline(ctx context.Context, o options) (benchkit.Usage, error) {
	time.Sleep(o.warmup)
	select {
	case err := <-s.published:
		return benchkit.Usage{}, fmt.Errorf("publisher: %w", err)
	default:
	}
	u, err := benchkit.Measure(ctx, s.pid, o.window)
	slog.Info("baseline", "server", s.name, "cpu", u.CPU, "rss_mib", u.RSS>>20)
	return u, err
}
