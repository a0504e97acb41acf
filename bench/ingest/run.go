package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// idleWindow is how long the server is measured before publishing.
const idleWindow = 3 * time.Second

// row is one run's figures.
type row struct {
	proto        string
	n            int
	idleCPU, cpu float64 // % of one core
	idleRSS, rss int64   // bytes, mean VmRSS
	sentMbps     float64 // what the publishers sent, all together
	recvMbps     float64 // what the server's inputs counted, all together
	failed       int     // publishers that ended with an error
}

// runOne starts a server with n streams fed by proto, measures it idle,
// starts n publishers, waits warmup, measures the window, and stops.
func runOne(ctx context.Context, o options, s *sample, dir, proto string, n int) (row, error) {
	r := row{proto: proto, n: n}
	srv, err := startServer(ctx, o.bin, filepath.Join(dir, fmt.Sprintf("%s-%d", proto, n)), proto, n)
	if err != nil {
		return r, err
	}
	defer srv.stop()
	idle, err := measure(ctx, srv.pid, idleWindow)
	if err != nil {
		return r, err
	}
	r.idleCPU, r.idleRSS = idle.cpu, idle.rss
	pctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	sent := make([]atomic.Int64, n)
	errs := make(chan error, n)
	for i := range n {
		w, err := srv.dial(i)
		if err != nil {
			cancel()
			wg.Wait()
			return r, err
		}
		wg.Go(func() {
			defer func() { _ = w.Close() }()
			if err := replay(pctx, s, w, &sent[i]); err != nil {
				errs <- err
			}
		})
	}
	time.Sleep(o.warmup)
	before := sum(sent)
	recv0 := srv.inputBytes()
	start := time.Now()
	u, err := measure(ctx, srv.pid, o.window)
	took := time.Since(start)
	r.sentMbps = float64(sum(sent)-before) * 8 / took.Seconds() / 1e6
	r.recvMbps = float64(srv.inputBytes()-recv0) * 8 / took.Seconds() / 1e6
	cancel()
	wg.Wait()
	close(errs)
	for e := range errs {
		r.failed++
		slog.Warn("publisher failed", "err", e)
	}
	r.cpu, r.rss = u.cpu, u.rss
	return r, err
}

func sum(xs []atomic.Int64) int64 {
	var t int64
	for i := range xs {
		t += xs[i].Load()
	}
	return t
}

// server is a running StreamHive.
type server struct {
	pid   int
	base  string
	dial  func(i int) (io.WriteCloser, error)
	names []string
	cmd   *exec.Cmd
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

// startServer writes a config with n streams s1..sN fed by proto and
// starts the binary, waiting for its readiness probe.
func startServer(ctx context.Context, bin, dir, proto string, n int) (*server, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	httpPort, err := freePort("tcp")
	if err != nil {
		return nil, err
	}
	var conf strings.Builder
	fmt.Fprintf(&conf, "http 127.0.0.1:%d;\n", httpPort)
	srv := &server{base: fmt.Sprintf("http://127.0.0.1:%d", httpPort)}
	switch proto {
	case "udp":
		ports := make([]int, n)
		for i := range ports {
			if ports[i], err = freePort("udp"); err != nil {
				return nil, err
			}
			fmt.Fprintf(&conf, "stream s%d { input udp://127.0.0.1:%d; }\n", i+1, ports[i])
		}
		srv.dial = func(i int) (io.WriteCloser, error) { return dialUDP(fmt.Sprintf("127.0.0.1:%d", ports[i])) }
	case "srt":
		port, err := freePort("udp")
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(&conf, "srt_publish { port 127.0.0.1:%d; }\n", port)
		for i := range n {
			fmt.Fprintf(&conf, "stream s%d { input publish://; }\n", i+1)
		}
		srv.dial = func(i int) (io.WriteCloser, error) {
			return dialSRT(fmt.Sprintf("127.0.0.1:%d", port), fmt.Sprintf("s%d", i+1))
		}
	}
	for i := range n {
		srv.names = append(srv.names, fmt.Sprintf("s%d", i+1))
	}
	path := filepath.Join(dir, "streamhive.conf")
	if err := os.WriteFile(path, []byte(conf.String()), 0o644); err != nil {
		return nil, err
	}
	log, err := os.Create(filepath.Join(dir, "server.log"))
	if err != nil {
		return nil, err
	}
	srv.cmd = exec.CommandContext(ctx, bin, "-config", path)
	srv.cmd.Stdout, srv.cmd.Stderr = log, log
	if err := srv.cmd.Start(); err != nil {
		return nil, err
	}
	srv.pid = srv.cmd.Process.Pid
	for deadline := time.Now().Add(30 * time.Second); !httpOK(srv.base + "/streamer/api/v3/monitoring/readiness"); time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			srv.stop()
			return nil, fmt.Errorf("server not ready in 30 s (log: %s)", log.Name())
		}
	}
	return srv, nil
}

// freePort returns a loopback port that was free a moment ago.
func freePort(network string) (int, error) {
	if network == "udp" {
		pc, err := net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			return 0, err
		}
		defer func() { _ = pc.Close() }()
		return pc.LocalAddr().(*net.UDPAddr).Port, nil
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer func() { _ = l.Close() }()
	return l.Addr().(*net.TCPAddr).Port, nil
}
