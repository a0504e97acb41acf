package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// startTimeout bounds how long a server may take to accept connections.
const startTimeout = 20 * time.Second

// ErrServer marks a server under test that would not start or died.
var ErrServer = errors.New("loadgen: server under test")

// target is a server under test, serving streams s1..sN.
type target struct {
	Name string
	RTMP string // host:port publishers dial
	App  string // RTMP application; the stream key is the stream name
	// Master returns the HLS master playlist URL of a stream.
	Master func(stream string) string
	// Tokens: each viewer adds its own ?token= to the master URL.
	Tokens bool
	// API is StreamHive's HTTP base URL, where its Control API answers;
	// "" for a server without one (mediamtx as started here).
	API  string
	PID  int // 0: not ours to measure
	stop func()
	log  string // the server's output file, shown when it fails
}

// Stop ends a server this program started: SIGTERM, then SIGKILL after 5 s.
func (t *target) Stop() {
	if t.stop != nil {
		t.stop()
	}
}

// streamName is the name of stream i (1-based).
func streamName(i int) string { return fmt.Sprintf("s%d", i) }

// process is a server this program started.
type process struct {
	pid  int
	log  string // its output file
	stop func() // SIGTERM, then SIGKILL after 5 s; waits for the exit
}

// launchOn starts bin with args, output to dir/NAME.log, and waits until
// ready reports true; the process is stopped if it does not get there. It
// runs pinned to the CPUs in cpus (taskset syntax, "0" or "2-3"); ""
// leaves it unpinned. A Go server pinned to one
// CPU also runs with GOMAXPROCS 1, as it reads its affinity at start.
func launchOn(ctx context.Context, cpus, name, dir, bin string, args []string, ready func() bool) (*process, error) {
	if cpus != "" {
		bin, args = "taskset", append([]string{"-c", cpus, bin}, args...)
	}
	logPath := filepath.Join(dir, name+".log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr, cmd.Dir = logFile, logFile, dir
	if err := cmd.Start(); err != nil {
		_ = logFile.Close()
		return nil, fmt.Errorf("%w: %s: %w", ErrServer, name, err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); _ = logFile.Close(); close(exited) }()
	p := &process{pid: cmd.Process.Pid, log: logPath, stop: func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(5 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
	}}
	deadline := time.Now().Add(startTimeout)
	for !ready() {
		select {
		case <-exited:
			return nil, fmt.Errorf("%w: %s exited at start:\n%s", ErrServer, name, tail(logPath))
		default:
		}
		if time.Now().After(deadline) || !sleep(ctx, 100*time.Millisecond) {
			p.stop()
			return nil, fmt.Errorf("%w: %s not ready within %v:\n%s", ErrServer, name, startTimeout, tail(logPath))
		}
	}
	return p, nil
}

// nameAuth names the StreamHive run with viewer auth (-auth).
const nameAuth = "streamhive+auth"

// startStreamhive runs bin with a config of n publish:// streams on free
// loopback ports; with authURL, every stream plays through `on_play
// authURL` and its viewers bring tokens.
func startStreamhive(ctx context.Context, bin, dir string, n int, authURL string) (*target, error) {
	return startStreamhiveOn(ctx, "", bin, dir, n, authURL)
}

// startStreamhiveOn is startStreamhive pinned to cpus (launchOn).
func startStreamhiveOn(ctx context.Context, cpus, bin, dir string, n int, authURL string) (*target, error) {
	httpPort, rtmpPort, err := freePorts()
	if err != nil {
		return nil, err
	}
	var conf strings.Builder
	fmt.Fprintf(&conf, "http 127.0.0.1:%d;\nrtmp 127.0.0.1:%d;\n", httpPort, rtmpPort)
	onPlay := ""
	if authURL != "" {
		onPlay = " on_play " + authURL + ";"
	}
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&conf, "stream %s { input publish://;%s }\n", streamName(i), onPlay)
	}
	path := filepath.Join(dir, "streamhive.conf")
	if err := os.WriteFile(path, []byte(conf.String()), 0o644); err != nil {
		return nil, err
	}
	base := fmt.Sprintf("http://127.0.0.1:%d", httpPort)
	p, err := launchOn(ctx, cpus, "streamhive", dir, bin, []string{"-config", path}, func() bool {
		return httpOK(base + "/streamer/api/v3/monitoring/readiness")
	})
	if err != nil {
		return nil, err
	}
	name := "streamhive"
	if authURL != "" {
		name = nameAuth
	}
	return &target{
		Name:   name,
		Tokens: authURL != "",
		RTMP:   fmt.Sprintf("127.0.0.1:%d", rtmpPort),
		App:    "live",
		Master: func(s string) string { return base + "/" + s + "/index.m3u8" },
		API:    base,
		PID:    p.pid,
		stop:   p.stop,
		log:    p.log,
	}, nil
}

// mediamtxConfig is a mediamtx v1 configuration made comparable to
// StreamHive's defaults: only RTMP in and HLS out, MPEG-TS segments of 2 s,
// a window of 6, and the muxer started on publish rather than on the first
// viewer (StreamHive always segments). Other servers are switched off.
const mediamtxConfig = `logLevel: warn
api: no
metrics: no
pprof: no
playback: no
rtsp: no
webrtc: no
srt: no
rtmp: yes
rtmpAddress: 127.0.0.1:%d
hls: yes
hlsAddress: 127.0.0.1:%d
hlsAlwaysRemux: yes
hlsVariant: %s
hlsSegmentCount: %d
hlsSegmentDuration: 2s
hlsPartDuration: %s
paths:
  all_others:
`

// startMediamtx runs a mediamtx binary on free loopback ports. Streams are
// published as live/sN, so their HLS path is /live/sN/.
func startMediamtx(ctx context.Context, bin, dir string) (*target, error) {
	return startMediamtxOn(ctx, "", bin, dir, false)
}

// startMediamtxOn is startMediamtx pinned to cpus (launchOn), with LL-HLS
// (hlsVariant lowLatency: fMP4 segments of 2 s and parts of 200 ms, a
// window of 7, the least mediamtx accepts for it) when ll is set.
func startMediamtxOn(ctx context.Context, cpus, bin, dir string, ll bool) (*target, error) {
	httpPort, rtmpPort, err := freePorts()
	if err != nil {
		return nil, err
	}
	path := filepath.Join(dir, "mediamtx.yml")
	if err := os.WriteFile(path, mediamtxYAML(rtmpPort, httpPort, ll), 0o644); err != nil {
		return nil, err
	}
	rtmpAddr := fmt.Sprintf("127.0.0.1:%d", rtmpPort)
	base := fmt.Sprintf("http://127.0.0.1:%d", httpPort)
	p, err := launchOn(ctx, cpus, "mediamtx", dir, bin, []string{path}, func() bool {
		return dialOK(rtmpAddr) && httpAnswers(base+"/")
	})
	if err != nil {
		return nil, err
	}
	return &target{
		Name:   "mediamtx",
		RTMP:   rtmpAddr,
		App:    "live",
		Master: func(s string) string { return base + "/live/" + s + "/index.m3u8" },
		PID:    p.pid,
		stop:   p.stop,
		log:    p.log,
	}, nil
}

// mediamtxYAML is mediamtxConfig for these ports, classic or LL-HLS.
func mediamtxYAML(rtmpPort, httpPort int, ll bool) []byte {
	if ll {
		return fmt.Appendf(nil, mediamtxConfig, rtmpPort, httpPort, "lowLatency", 7, "200ms")
	}
	return fmt.Appendf(nil, mediamtxConfig, rtmpPort, httpPort, "mpegts", 6, "1s")
}

// externalTarget is a server someone else runs, with streams s1..sN that
// accept publishing at rtmp://RTMP/live/sN and play at HTTP/sN/index.m3u8.
func externalTarget(httpBase, rtmpAddr string, pid int) *target {
	base := strings.TrimRight(httpBase, "/")
	return &target{
		Name:   "external",
		RTMP:   rtmpAddr,
		App:    "live",
		Master: func(s string) string { return base + "/" + s + "/index.m3u8" },
		API:    base,
		PID:    pid,
	}
}

// freePorts returns two distinct free TCP ports on the loopback interface.
// They are released before use, so another process could take one; on a
// test machine that is unlikely, and a clash fails the start loudly.
func freePorts() (int, int, error) {
	var ports [2]int
	var lns []net.Listener
	defer func() {
		for _, ln := range lns {
			_ = ln.Close()
		}
	}()
	for i := range ports {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return 0, 0, err
		}
		lns = append(lns, ln)
		ports[i] = ln.Addr().(*net.TCPAddr).Port
	}
	return ports[0], ports[1], nil
}

var probeClient = &http.Client{Timeout: time.Second}

func httpOK(u string) bool {
	resp, err := probeClient.Get(u)
	if err != nil {
		return false
	}
	_ = resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

func httpAnswers(u string) bool {
	resp, err := probeClient.Get(u)
	if err != nil {
		return false
	}
	_ = resp.Body.Close()
	return true
}

func dialOK(addr string) bool {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return false
	}
	_ = c.Close()
	return true
}

// tail returns the last lines of a log file, for error messages.
func tail(path string) string {
	b, _ := os.ReadFile(path)
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-20):], "\n")
}
