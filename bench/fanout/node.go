package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"streamhive/bench/internal/benchkit"
	"streamhive/bench/internal/rtmppub"
)

// streamName is the one stream every viewer plays.
const streamName = "s1"

// node is one running StreamHive process.
type node struct {
	name    string // origin, edge1, edge2, single
	dir     string
	http    string // 127.0.0.1:PORT
	rtmp    string // 127.0.0.1:PORT; "" without an RTMP listener
	pid     int
	cmd     *exec.Cmd
	logPath string
}

// newNode picks the node's ports (RTMP only with rtmp) and its directory.
func newNode(parent, name string, rtmp bool) (*node, error) {
	n := &node{name: name, dir: filepath.Join(parent, name)}
	if err := os.MkdirAll(n.dir, 0o755); err != nil {
		return nil, err
	}
	p, err := benchkit.FreePort("tcp")
	if err != nil {
		return nil, err
	}
	n.http = fmt.Sprintf("127.0.0.1:%d", p)
	if rtmp {
		if p, err = benchkit.FreePort("tcp"); err != nil {
			return nil, err
		}
		n.rtmp = fmt.Sprintf("127.0.0.1:%d", p)
	}
	return n, nil
}

// listeners is the node's http (and rtmp) lines.
func (n *node) listeners() string {
	s := "http " + n.http + ";\n"
	if n.rtmp != "" {
		s += "rtmp " + n.rtmp + ";\n"
	}
	return s
}

// start writes conf and runs bin on it until the node is ready.
func (n *node) start(ctx context.Context, bin, conf string) error {
	path := filepath.Join(n.dir, "streamhive.conf")
	if err := os.WriteFile(path, []byte(conf), 0o644); err != nil {
		return err
	}
	n.logPath = filepath.Join(n.dir, "server.log")
	log, err := os.Create(n.logPath)
	if err != nil {
		return err
	}
	defer func() { _ = log.Close() }() // the child has its own descriptor
	if bin, err = filepath.Abs(bin); err != nil {
		return err
	}
	n.cmd = exec.CommandContext(ctx, bin, "-config", path)
	n.cmd.Dir = n.dir
	n.cmd.Stdout, n.cmd.Stderr = log, log
	if err := n.cmd.Start(); err != nil {
		return err
	}
	n.pid = n.cmd.Process.Pid
	return n.waitFor(30*time.Second, "ready", func() bool {
		return benchkit.HTTPOK("http://" + n.http + "/streamer/api/v3/monitoring/readiness")
	})
}

// waitFor polls cond every 100 ms for up to d.
func (n *node) waitFor(d time.Duration, what string, cond func() bool) error {
	for deadline := time.Now().Add(d); !cond(); time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			return fmt.Errorf("%s: not %s in %v (log: %s)", n.name, what, d, n.logPath)
		}
	}
	return nil
}

// log is what the node has logged so far.
func (n *node) log() string {
	b, _ := os.ReadFile(n.logPath)
	return string(b)
}

// stop ends the node with SIGINT (SIGKILL after 10 s); safe on a node
// that never started.
func (n *node) stop() {
	if n == nil || n.cmd == nil || n.cmd.Process == nil {
		return
	}
	_ = n.cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { _ = n.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = n.cmd.Process.Kill()
		<-done
	}
	n.cmd = nil
}

// hls is where viewers play s1 on this node.
func (n *node) hls() string { return "http://" + n.http + "/" + streamName + "/index.m3u8" }

// streamStats is the part of GET /streamer/api/v3/streams/s1 the bench
// reads.
type streamStats struct {
	Alive     bool `json:"alive"`
	MediaInfo struct {
		Tracks []json.RawMessage `json:"tracks"`
	} `json:"media_info"`
	InputBytes int64 `json:"input_bytes"`
}

// stats reads s1's stats from the node's API.
func (n *node) stats() (streamStats, error) {
	var st struct {
		Stats streamStats `json:"stats"`
	}
	resp, err := http.Get("http://" + n.http + "/streamer/api/v3/streams/" + streamName) //nolint:noctx // loopback
	if err != nil {
		return st.Stats, err
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		return st.Stats, fmt.Errorf("%s: GET stream %s: %s", n.name, streamName, resp.Status)
	}
	return st.Stats, json.NewDecoder(resp.Body).Decode(&st)
}

// alive reports whether s1 runs on the node with video and audio.
func (n *node) alive() bool {
	st, err := n.stats()
	return err == nil && st.Alive && len(st.MediaInfo.Tracks) >= 2
}

// publish starts the RTMP publisher of s1 on the node and waits until s1
// is alive with video and audio; the returned function stops it.
func (n *node) publish(ctx context.Context, smp *rtmppub.Sample) (func(), error) {
	pctx, cancel := context.WithCancel(ctx)
	pub := &rtmppub.Publisher{Addr: n.rtmp, App: "live", Key: streamName, Sample: smp}
	go func() { _ = pub.Run(pctx, func() {}) }()
	if err := n.waitFor(30*time.Second, "alive with s1's video and audio", n.alive); err != nil {
		cancel()
		return nil, err
	}
	return cancel, nil
}

// pull is one m4f pull the owner served, as its log line says when the
// pull ends.
type pull struct {
	bytes int64
	dur   time.Duration
}

// kbits is the pull's mean rate.
func (p pull) kbits() float64 { return float64(p.bytes) * 8 / p.dur.Seconds() / 1000 }

// pulls are the m4f pulls the node's log says ended: the owner logs one
// line per pull, with the bytes it sent and for how long.
func (n *node) pulls() []pull {
	var out []pull
	for line := range strings.Lines(n.log()) {
		if !strings.Contains(line, `msg="m4f: pull ended"`) {
			continue
		}
		var p pull
		for _, f := range strings.Fields(line) {
			if v, ok := strings.CutPrefix(f, "bytes="); ok {
				_, _ = fmt.Sscan(v, &p.bytes)
			}
			if v, ok := strings.CutPrefix(f, "for="); ok {
				p.dur, _ = time.ParseDuration(v)
			}
		}
		if p.dur > 0 {
			out = append(out, p)
		}
	}
	return out
}
