package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"streamhive/media/mediatest"
)

// These helpers run the real streamhive binary as a child process, the way
// an operator does, and talk to it over real HTTP on a free loopback port.

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// binary builds cmd/streamhive once per test run, with the race detector
// when the tests run under it. scripts/e2e.sh builds it once for all its
// shards and names it in STREAMHIVE_TEST_SERVER, so two shards do not
// build the same binary at once on CI's two cores.
func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		if prebuilt := os.Getenv("STREAMHIVE_TEST_SERVER"); prebuilt != "" {
			binPath = prebuilt
			return
		}
		dir, err := os.MkdirTemp("", "streamhive-bin")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "streamhive")
		args := []string{"build"}
		if raceBuild {
			args = append(args, "-race")
		}
		args = append(args, "-o", binPath, ".")
		out, err := exec.Command("go", args...).CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %w\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// freePort returns a loopback TCP port that was free a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	return pickPort(t, func(addr string) (io.Closer, error) { return net.Listen("tcp", addr) })
}

// freeUDPPort returns a loopback UDP port that was free a moment ago.
func freeUDPPort(t *testing.T) int {
	t.Helper()
	return pickPort(t, func(addr string) (io.Closer, error) { return net.ListenPacket("udp", addr) })
}

// shardPorts: scripts/e2e.sh runs this package's e2e tests as up to
// shardsMax processes at once (E2E_SHARD 0, 1, 2). A port picked by binding :0 and
// closing it can be picked by the other process before our server binds
// it, so each shard takes its ports in turn from its own range below
// Linux's ephemeral ports (32768 up), which the system hands to no one
// who binds :0. Outside a shard the system picks.
const (
	shardsMax     = 3
	shardPortBase = 20000
	shardPortSpan = 4000 // shardsMax spans end at 31999
)

// nextShardPort starts where this process's id says: a shard runs one
// test per process, one after another, and a test's ports should not be
// the ones its predecessor's server was still closing.
var nextShardPort = func() *atomic.Int32 {
	var n atomic.Int32
	n.Store(int32(os.Getpid() * 61 % shardPortSpan))
	return &n
}()

// pickPort returns a port that open could bind on 127.0.0.1 a moment ago.
func pickPort(t *testing.T, open func(addr string) (io.Closer, error)) int {
	t.Helper()
	shard, err := strconv.Atoi(os.Getenv("E2E_SHARD"))
	if err != nil || shard < 0 || shard >= shardsMax {
		c, err := open("127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = c.Close() }()
		return portOf(c)
	}
	for range shardPortSpan {
		port := shardPortBase + shard*shardPortSpan + int(nextShardPort.Add(1))%shardPortSpan
		if c, err := open(fmt.Sprintf("127.0.0.1:%d", port)); err == nil {
			_ = c.Close()
			return port
		}
	}
	t.Fatalf("no free port in shard %d's range", shard)
	return 0
}

func portOf(c io.Closer) int {
	switch l := c.(type) {
	case net.Listener:
		return l.Addr().(*net.TCPAddr).Port
	case net.PacketConn:
		return l.LocalAddr().(*net.UDPAddr).Port
	}
	panic("pickPort: not a listener")
}

// proc is one running server process.
type proc struct {
	t    *testing.T
	cmd  *exec.Cmd
	base string // http://127.0.0.1:PORT
	log  *mediatest.LogBuffer
	done chan struct{}
}

// start runs the binary with args and waits until its API answers on port.
func start(t *testing.T, port int, args ...string) *proc {
	t.Helper()
	p := &proc{t: t, base: fmt.Sprintf("http://127.0.0.1:%d", port), log: &mediatest.LogBuffer{}, done: make(chan struct{})}
	p.cmd = exec.Command(binary(t), args...)
	p.cmd.Stdout, p.cmd.Stderr = p.log, p.log
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { _ = p.cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		_ = p.cmd.Process.Kill()
		<-p.done
		if t.Failed() {
			t.Logf("server log:\n%s", p.log.String())
		}
	})
	p.waitReady()
	return p
}

func (p *proc) waitReady() {
	p.t.Helper()
	mediatest.WaitFor(p.t, 20*time.Second, "the server's readiness", func() bool {
		select {
		case <-p.done:
			p.t.Fatalf("server exited early:\n%s", p.log.String())
		default:
		}
		resp, err := http.Get(p.base + "/streamer/api/v3/monitoring/readiness")
		if err != nil {
			return false
		}
		_ = resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
}

// signal sends sig and, for SIGTERM, waits for the exit and returns how long it took.
func (p *proc) stop(sig syscall.Signal) time.Duration {
	p.t.Helper()
	t0 := time.Now()
	if err := p.cmd.Process.Signal(sig); err != nil {
		p.t.Fatal(err)
	}
	select {
	case <-p.done:
		return time.Since(t0)
	case <-time.After(10 * time.Second):
		p.t.Fatalf("server did not stop within 10s after %v:\n%s", sig, p.log.String())
		return 0
	}
}

// do sends one API request and returns status and body.
func (p *proc) do(method, path, auth, body string) (int, string) {
	p.t.Helper()
	req, err := http.NewRequest(method, p.base+path, strings.NewReader(body))
	if err != nil {
		p.t.Fatal(err)
	}
	if auth != "" {
		user, pass, _ := strings.Cut(auth, ":")
		req.SetBasicAuth(user, pass)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		p.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer func() { _ = resp.Body.Close() }()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// writeConfig writes a config file with an http listener on port plus extra.
func writeConfig(t *testing.T, dir string, port int, extra string) string {
	t.Helper()
	path := filepath.Join(dir, "streamhive.conf")
	text := fmt.Sprintf("http 127.0.0.1:%d;\n%s", port, extra)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}
