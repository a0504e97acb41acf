package chaos

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"time"
)

// Server is one run of the streamhive binary on a configuration file. The
// file stays, so Start may run it again (after Kill) on the same ports.
type Server struct {
	Bin    string // the streamhive binary
	Config string // path of the configuration file
	HTTP   int    // its HTTP port (the API, HLS)
	Log    string // path of its log; each run appends

	mu   sync.Mutex
	cmd  *exec.Cmd
	done chan struct{}
}

// NewServer writes conf (the HTTP listener is prepended) into dir.
func NewServer(bin, dir string, httpPort int, conf string) (*Server, error) {
	path := filepath.Join(dir, "streamhive.conf")
	text := fmt.Sprintf("http 127.0.0.1:%d;\nloglevel info;\n%s", httpPort, conf)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		return nil, err
	}
	return &Server{Bin: bin, Config: path, HTTP: httpPort, Log: filepath.Join(dir, "server.log")}, nil
}

// Base is the server's HTTP base URL.
func (s *Server) Base() string { return fmt.Sprintf("http://127.0.0.1:%d", s.HTTP) }

// Start runs the server and waits until its API answers (or 10 s pass).
// Bin must be built with -tags chaos (make chaos builds
// bin/streamhive-chaos) for the fault hooks, such as the input option
// chaos_panic, to exist.
func (s *Server) Start() error {
	log, err := os.OpenFile(s.Log, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	cmd := exec.Command(s.Bin, "-config", s.Config)
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		_ = log.Close() // the start error is the one to report
		return err
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); _ = log.Close(); close(done) }()
	s.mu.Lock()
	s.cmd, s.done = cmd, done
	s.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for ctx.Err() == nil {
		if resp, err := http.Get(s.Base() + "/streamer/api/v3/streams"); err == nil {
			_ = resp.Body.Close()
			return nil
		}
		select {
		case <-done:
			return fmt.Errorf("streamhive exited at start (see %s)", s.Log)
		case <-time.After(20 * time.Millisecond):
		}
	}
	return errors.New("streamhive: API did not answer within 10 s")
}

// Running reports whether the process is alive.
func (s *Server) Running() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.done == nil {
		return false
	}
	select {
	case <-s.done:
		return false
	default:
		return true
	}
}

// Kill sends SIGKILL and waits for the process to be gone.
func (s *Server) Kill() { s.signal(syscall.SIGKILL) }

// Stop sends SIGTERM and waits (SIGKILL after 5 s).
func (s *Server) Stop() { s.signal(syscall.SIGTERM) }

func (s *Server) signal(sig syscall.Signal) {
	s.mu.Lock()
	cmd, done := s.cmd, s.done
	s.mu.Unlock()
	if cmd == nil {
		return
	}
	_ = cmd.Process.Signal(sig)
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		_ = cmd.Process.Kill()
		<-done
	}
}

// FreeTCP returns a loopback TCP port that was free a moment ago.
func FreeTCP() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	port := ln.Addr().(*net.TCPAddr).Port
	return port, ln.Close()
}

// FreeUDP returns a loopback UDP port that was free a moment ago.
func FreeUDP() (int, error) {
	c, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		return 0, err
	}
	port := c.LocalAddr().(*net.UDPAddr).Port
	return port, c.Close()
}
