package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"streamhive/bench/internal/benchkit"
	"streamhive/bench/internal/rtmppub"
)

// server is a running StreamHive with n streams s1..sN.
type server struct {
	pid   int
	base  string // http://127.0.0.1:PORT
	names []string
	cmd   *exec.Cmd
	// publish feeds stream i (0-based) until ctx ends, counting the bytes
	// it sends; nil means ctx ended, anything else that the publisher
	// failed.
	publish func(ctx context.Context, i int, sent *atomic.Int64) error
	drops   atomic.Int64 // RTSP: packets the client could not queue
	prof    *profiler    // nil without -profile
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
func startServer(ctx context.Context, o options, smp samples, dir, proto string, n int) (*server, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	httpPort, err := benchkit.FreePort("tcp")
	if err != nil {
		return nil, err
	}
	var conf strings.Builder
	fmt.Fprintf(&conf, "http 127.0.0.1:%d;\n", httpPort)
	srv := &server{base: fmt.Sprintf("http://127.0.0.1:%d", httpPort)}
	if err := srv.configure(&conf, o, smp, proto, n); err != nil {
		return nil, err
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
	defer func() { _ = log.Close() }() // the child has its own descriptor
	args := []string{"-config", path}
	if o.profiles != "" {
		port, err := benchkit.FreePort("tcp")
		if err != nil {
			return nil, err
		}
		addr := fmt.Sprintf("127.0.0.1:%d", port)
		args = append(args, "-pprof", addr)
		srv.prof = &profiler{base: "http://" + addr + "/debug/pprof", dir: o.profiles, name: fmt.Sprintf("%s-%d", proto, n)}
	}
	srv.cmd = exec.CommandContext(ctx, o.bin, args...)
	srv.cmd.Stdout, srv.cmd.Stderr = log, log
	if err := srv.cmd.Start(); err != nil {
		return nil, err
	}
	srv.pid = srv.cmd.Process.Pid
	for deadline := time.Now().Add(30 * time.Second); !benchkit.HTTPOK(srv.base + "/streamer/api/v3/monitoring/readiness"); time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			srv.stop()
			return nil, fmt.Errorf("server not ready in 30 s (log: %s)", log.Name())
		}
	}
	return srv, nil
}

// configure writes proto's listener and streams into conf and sets
// s.publish:
//   - udp: `input udp://127.0.0.1:PORT;`, one port per stream;
//   - srt: `input publish://;` behind one srt_publish port, streamid
//     #!::r=sN,m=publish;
//   - rtmp: `input publish://;` behind `rtmp PORT;`, rtmp://HOST:PORT/live/sN;
//   - rtsp: `input publish://;` behind `rtsp PORT;`, rtsp://HOST:PORT/sN.
func (s *server) configure(conf *strings.Builder, o options, smp samples, proto string, n int) error {
	network := "tcp"
	if proto == "udp" || proto == "srt" {
		network = "udp"
	}
	if proto == "udp" {
		ports := make([]int, n)
		for i := range ports {
			var err error
			if ports[i], err = benchkit.FreePort(network); err != nil {
				return err
			}
			fmt.Fprintf(conf, "stream s%d { input udp://127.0.0.1:%d; }\n", i+1, ports[i])
		}
		s.publish = func(ctx context.Context, i int, sent *atomic.Int64) error {
			return replayTo(ctx, smp.ts, sent, func() (writeCloser, error) { return dialUDP(fmt.Sprintf("127.0.0.1:%d", ports[i])) })
		}
		return nil
	}
	port, err := benchkit.FreePort(network)
	if err != nil {
		return err
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	switch proto {
	case "srt":
		fmt.Fprintf(conf, "srt_publish { port %s; }\n", addr)
		s.publish = func(ctx context.Context, i int, sent *atomic.Int64) error {
			return replayTo(ctx, smp.ts, sent, func() (writeCloser, error) { return dialSRT(addr, fmt.Sprintf("s%d", i+1)) })
		}
	case "rtmp":
		fmt.Fprintf(conf, "rtmp %s;\n", addr)
		s.publish = func(ctx context.Context, i int, sent *atomic.Int64) error {
			p := &rtmppub.Publisher{Addr: addr, App: "live", Key: fmt.Sprintf("s%d", i+1), Sample: smp.flv, Sent: sent}
			return p.Run(ctx, func() {})
		}
	case "rtsp":
		fmt.Fprintf(conf, "rtsp %s;\n", addr)
		s.publish = func(ctx context.Context, i int, sent *atomic.Int64) error {
			p := &rtspPublisher{url: fmt.Sprintf("rtsp://%s/s%d", addr, i+1), transport: o.rtspTransport, smp: smp.rtsp, sent: sent, dropped: &s.drops}
			return p.run(ctx)
		}
	}
	for i := range n {
		fmt.Fprintf(conf, "stream s%d { input publish://; }\n", i+1)
	}
	return nil
}
