package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"streamhive/bench/internal/benchkit"
)

// server is a running StreamHive or MediaMTX: stream s1 published over
// RTMP at rtmp, its LL-HLS multivariant playlist at llPath on http.
type server struct {
	name, prefix string // prefix: where the page's proxy serves it
	http, rtmp   string // 127.0.0.1:PORT
	llPath       string
	embed        string // the server's own player page; "": hls.js on llPath
	cmd          *exec.Cmd
}

// mediamtxConfig serves live/s1 in LL-HLS with MediaMTX's defaults made
// explicit (1 s segments, 200 ms parts), as StreamHive's s1.
const mediamtxConfig = `logLevel: warn
api: no
metrics: no
pprof: no
playback: no
rtsp: no
webrtc: no
srt: no
moq: no
rtmp: yes
rtmpAddress: %s
hls: yes
hlsAddress: %s
hlsAlwaysRemux: yes
hlsVariant: lowLatency
hlsSegmentDuration: 1s
hlsPartDuration: 200ms
hlsSegmentCount: 7
authInternalUsers:
- user: any
  pass:
  ips: []
  permissions:
  - action: publish
  - action: read
paths:
  all_others:
`

func startServers(ctx context.Context, o options, dir string) ([]*server, error) {
	sh := &server{name: "streamhive", prefix: "/sh", llPath: "/s1/index.ll.m3u8", embed: "/s1/embed.html"}
	if err := sh.ports(); err != nil {
		return nil, err
	}
	conf := fmt.Sprintf("http %s;\nrtmp %s;\nstream s1 { input publish://; segment_duration 1; }\n", sh.http, sh.rtmp)
	if err := sh.start(ctx, dir, o.bin, conf, "streamhive.conf", func(p string) []string { return []string{"-config", p} }); err != nil {
		return nil, err
	}
	servers := []*server{sh}
	if o.mediamtx == "" {
		return servers, nil
	}
	mtx := &server{name: "mediamtx", prefix: "/mtx", llPath: "/live/s1/index.m3u8"}
	if err := mtx.ports(); err != nil {
		sh.stop()
		return nil, err
	}
	conf = fmt.Sprintf(mediamtxConfig, mtx.rtmp, mtx.http)
	if err := mtx.start(ctx, dir, o.mediamtx, conf, "mediamtx.yml", func(p string) []string { return []string{p} }); err != nil {
		sh.stop()
		return nil, err
	}
	return append(servers, mtx), nil
}

func (s *server) ports() error {
	for _, a := range []*string{&s.http, &s.rtmp} {
		p, err := benchkit.FreePort("tcp")
		if err != nil {
			return err
		}
		*a = fmt.Sprintf("127.0.0.1:%d", p)
	}
	return nil
}

// start writes conf as dir/confName and runs bin with args(confPath), its
// output in dir/NAME.log, until its HTTP port answers.
func (s *server) start(ctx context.Context, dir, bin, conf, confName string, args func(string) []string) error {
	path := filepath.Join(dir, confName)
	if err := os.WriteFile(path, []byte(conf), 0o644); err != nil {
		return err
	}
	bin, err := filepath.Abs(bin)
	if err != nil {
		return err
	}
	log, err := os.Create(filepath.Join(dir, s.name+".log"))
	if err != nil {
		return err
	}
	defer func() { _ = log.Close() }() // the child has its own descriptor
	s.cmd = exec.CommandContext(ctx, bin, args(path)...)
	s.cmd.Dir, s.cmd.Stdout, s.cmd.Stderr = dir, log, log
	if err := s.cmd.Start(); err != nil {
		return err
	}
	for deadline := time.Now().Add(30 * time.Second); !answers("http://" + s.http + "/"); time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			s.stop()
			return fmt.Errorf("%s not listening in 30 s (log: %s)", s.name, log.Name())
		}
	}
	return nil
}

// answers reports whether anything answers HTTP at u.
func answers(u string) bool {
	resp, err := http.Get(u) //nolint:noctx // loopback
	if err != nil {
		return false
	}
	_ = resp.Body.Close()
	return true
}

func (s *server) stop() {
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

// sampleSeconds is the length of the pre-encoded sample that the
// publisher loops.
const sampleSeconds = 10

// encodeSample makes dir/sample.flv: 720p30 H.264 (GOP 1 s, no B-frames)
// and AAC at about 3.6 Mbit/s, encoded once so that publishing costs no
// encoder on the machine that runs the players.
func encodeSample(ctx context.Context, dir string) (string, error) {
	path := filepath.Join(dir, "sample.flv")
	d := fmt.Sprint(sampleSeconds)
	cmd := exec.CommandContext(ctx, "ffmpeg", "-v", "error", "-nostdin",
		"-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30:duration="+d,
		"-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration="+d,
		"-c:v", "libx264", "-preset", "veryfast", "-g", "30", "-bf", "0", "-pix_fmt", "yuv420p",
		"-b:v", "3500k", "-maxrate", "3500k", "-bufsize", "1750k",
		"-c:a", "aac", "-b:a", "128k", "-f", "flv", "-y", path)
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("ffmpeg encoding the sample: %w\n%s", err, out)
	}
	return path, nil
}

// publish starts ffmpeg looping the sample in real time (-re, no
// re-encoding) to every server's s1 over RTMP at once (the tee muxer: the
// same packets at the same instants), until ctx ends.
func publish(ctx context.Context, dir string, servers []*server) error {
	sample, err := encodeSample(ctx, dir)
	if err != nil {
		return err
	}
	var outs []string
	for _, s := range servers {
		outs = append(outs, "[f=flv:onfail=ignore]rtmp://"+s.rtmp+"/live/s1")
	}
	cmd := exec.CommandContext(ctx, "ffmpeg", "-v", "error", "-nostdin", "-re", "-stream_loop", "-1", "-i", sample,
		"-map", "0", "-c", "copy", "-f", "tee", strings.Join(outs, "|"))
	log, err := os.Create(filepath.Join(dir, "ffmpeg.log"))
	if err != nil {
		return err
	}
	defer func() { _ = log.Close() }()
	cmd.Stdout, cmd.Stderr = log, log
	return cmd.Start()
}
