package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"streamhive/bench/internal/benchkit"
)

// server is the streamhive process under measure.
type server struct {
	pid  int
	addr string // 127.0.0.1:PORT
	cmd  *exec.Cmd
	log  string
}

// startServer runs the binary pinned to o.cpu with one vod location over
// files, and waits until its API answers.
func startServer(ctx context.Context, o options, dir, files string) (*server, error) {
	if _, err := os.Stat(o.bin); err != nil {
		return nil, fmt.Errorf("%s: %w (make build)", o.bin, err)
	}
	port, err := benchkit.FreePort("tcp")
	if err != nil {
		return nil, err
	}
	addr := "127.0.0.1:" + strconv.Itoa(port)
	conf := filepath.Join(dir, "streamhive.conf")
	text := fmt.Sprintf("http %s;\nvod movies { storage %s; segment_duration 2; }\n", addr, files)
	if err := os.WriteFile(conf, []byte(text), 0o644); err != nil {
		return nil, err
	}
	s := &server{addr: addr, log: filepath.Join(dir, "streamhive.log")}
	logf, err := os.Create(s.log)
	if err != nil {
		return nil, err
	}
	defer func() { _ = logf.Close() }()
	s.cmd = exec.CommandContext(ctx, "taskset", "-c", strconv.Itoa(o.cpu), o.bin, "-config", conf)
	s.cmd.Stdout, s.cmd.Stderr = logf, logf
	if err := s.cmd.Start(); err != nil {
		return nil, err
	}
	s.pid = s.cmd.Process.Pid // taskset execs the server: the same process
	for deadline := time.Now().Add(20 * time.Second); !benchkit.HTTPOK("http://" + addr + "/streamer/api/v3/monitoring/readiness"); {
		if time.Now().After(deadline) {
			s.stop()
			b, _ := os.ReadFile(s.log)
			return nil, fmt.Errorf("the server did not answer in 20 s:\n%s", b)
		}
		time.Sleep(100 * time.Millisecond)
	}
	return s, nil
}

func (s *server) stop() {
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- s.cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		_ = s.cmd.Process.Kill()
		<-done
	}
}
