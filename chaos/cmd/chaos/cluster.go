package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"streamhive/actors/cluster"
	"streamhive/chaos"
)

// clusterKey is the node scenarios' cluster_key.
const clusterKey = "chaos-cluster-key"

// clusterEnv is a node scenario's world: a source server (not in the
// cluster) whose stream a a UDP publisher feeds, and three nodes with
// static peer lines and one cluster_key that have stream a as a
// cluster_ingest stream pulling the source's MPEG-TS over HTTP, so that
// whichever node captures it (two at once during a partition) pulls the
// same picture. A viewer watches stream a through one node, another
// watches the source (the stream the fault does not touch), a monitor
// polls stream a's API stats through the viewer's node, and owners polls
// each node's probe answer for who captures stream a.
type clusterEnv struct {
	dir     string
	src     *chaos.Server
	nodes   []*chaos.Server
	pub     *chaos.Publisher
	proxies [][]*chaos.TCPProxy // [i][j]: node i's probes of node j; nil without a partition set-up
	owners  *ownerLog

	viewer, source *chaos.Viewer
	monitor        *chaos.Monitor // stream a's stats from the node that captures it
	api            *chaos.Monitor // the same through the viewer's node (a remote call to the owner)
	ctx            context.Context
	cancel         context.CancelFunc
}

// newClusterEnv starts the source, its publisher and three nodes; with
// proxied, each node probes the others through a TCP proxy of its own
// (its peer line keeps the other node's name, api_url and
// private_payload_url name the proxy: probes and media both cross it).
func newClusterEnv(root, name, bin, clip string, proxied bool) (*clusterEnv, error) {
	e := &clusterEnv{dir: filepath.Join(root, name)}
	e.ctx, e.cancel = context.WithCancel(context.Background())
	if err := os.MkdirAll(e.dir, 0o755); err != nil {
		return e, err
	}
	udp, err := chaos.FreeUDP()
	if err != nil {
		return e, err
	}
	if e.src, err = startServer(bin, filepath.Join(e.dir, "source"),
		fmt.Sprintf("stream a { input udp://127.0.0.1:%d; segment_duration 1; segment_count 6; }\n", udp)); err != nil {
		return e, err
	}
	e.pub = &chaos.Publisher{Clip: clip, Format: "mpegts", URL: udpURL(udp), Log: filepath.Join(e.dir, "ffmpeg.log")}
	if err := e.pub.Start(); err != nil {
		return e, err
	}
	ports := make([]int, 3)
	for i := range ports {
		if ports[i], err = chaos.FreeTCP(); err != nil {
			return e, err
		}
	}
	if proxied {
		if err := e.proxy(ports); err != nil {
			return e, err
		}
	}
	for i, port := range ports {
		dir := filepath.Join(e.dir, fmt.Sprintf("node%d", i))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return e, err
		}
		srv, err := chaos.NewServer(bin, dir, port, e.nodeConf(i, ports))
		if err != nil {
			return e, err
		}
		e.nodes = append(e.nodes, srv)
	}
	// All three at once, as a cluster starts: Start waits for each API.
	errs := make([]error, len(e.nodes))
	var wg sync.WaitGroup
	for i, n := range e.nodes {
		wg.Go(func() { errs[i] = n.Start() })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return e, err
		}
	}
	e.owners = &ownerLog{nodes: e.nodes}
	go e.owners.run(e.ctx)
	e.source = &chaos.Viewer{URL: e.src.Base() + "/a/index.m3u8"}
	go e.source.Run(e.ctx)
	return e, nil
}

// startServer starts a server of its own directory on a free port.
func startServer(bin, dir, conf string) (*chaos.Server, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	port, err := chaos.FreeTCP()
	if err != nil {
		return nil, err
	}
	srv, err := chaos.NewServer(bin, dir, port, conf)
	if err != nil {
		return nil, err
	}
	return srv, srv.Start()
}

// proxy starts a TCP proxy for each node's probes of each other node.
func (e *clusterEnv) proxy(ports []int) error {
	e.proxies = make([][]*chaos.TCPProxy, len(ports))
	for i := range ports {
		e.proxies[i] = make([]*chaos.TCPProxy, len(ports))
		for j, port := range ports {
			if i == j {
				continue
			}
			p, err := chaos.NewTCPProxy(fmt.Sprintf("127.0.0.1:%d", port))
			if err != nil {
				return err
			}
			e.proxies[i][j] = p
		}
	}
	return nil
}

// nodeConf is node i's configuration: every node's peer line (its own
// included, as the same file serves a fleet), the key and stream a.
func (e *clusterEnv) nodeConf(i int, ports []int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "cluster_key %s;\n", clusterKey)
	for j, port := range ports {
		if e.proxies != nil && i != j {
			// The media other nodes pull (m4f, DVR) goes through the proxy
			// too (private_payload_url): the partition cuts it as well.
			fmt.Fprintf(&b, "peer 127.0.0.1:%d { api_url http://%[2]s; private_payload_url http://%[2]s; }\n",
				port, e.proxies[i][j].Addr())
			continue
		}
		fmt.Fprintf(&b, "peer 127.0.0.1:%d;\n", port)
	}
	fmt.Fprintf(&b, "stream a {\n  input tshttp://127.0.0.1:%d/a/mpegts;\n  cluster_ingest;\n  segment_duration 1; segment_count 6;\n}\n", e.src.HTTP)
	return b.String()
}

// partition stops (freeze) or resumes forwarding every probe to and from
// node k.
func (e *clusterEnv) partition(k int, cut bool) {
	for i := range e.proxies {
		for j, p := range e.proxies[i] {
			if p == nil || (i != k && j != k) {
				continue
			}
			if cut {
				p.Freeze()
			} else {
				p.Thaw()
			}
		}
	}
}

// owner waits until exactly one node captures stream a and returns it.
func (e *clusterEnv) owner(timeout time.Duration) (int, error) {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if o := e.owners.now(); len(o) == 1 {
			return o[0], nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return -1, fmt.Errorf("no single node captures stream a after %v: %v", timeout, e.owners.now())
}

// watch starts stream a's viewer on node v, and its monitor, which asks
// the node that captures it now (during a split, the first): the hub
// whose frames the viewer gets, not the API path through node v.
func (e *clusterEnv) watch(v int) {
	e.viewer = &chaos.Viewer{URL: e.nodes[v].Base() + "/a/index.m3u8"}
	e.api = &chaos.Monitor{URL: e.nodes[v].Base() + "/streamer/api/v3/streams/a"}
	go e.api.Run(e.ctx)
	e.monitor = &chaos.Monitor{Target: func() string {
		n := v
		if o := e.owners.now(); len(o) > 0 {
			n = o[0]
		}
		return e.nodes[n].Base() + "/streamer/api/v3/streams/a"
	}}
	go e.viewer.Run(e.ctx)
	go e.monitor.Run(e.ctx)
}

// warm waits until both viewers have seen n segments with video.
func (e *clusterEnv) warm(n int, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for _, v := range []*chaos.Viewer{e.viewer, e.source} {
		for videoSegments(v) < n {
			if time.Now().After(deadline) {
				return fmt.Errorf("%s: %d segments after %v, want %d (logs in %s)", v.URL, videoSegments(v), timeout, n, e.dir)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	return nil
}

func videoSegments(v *chaos.Viewer) int {
	n := 0
	for _, s := range v.Segments() {
		if len(s.Times) > 0 {
			n++
		}
	}
	return n
}

// measure fills r's columns for the window from at to end.
func (e *clusterEnv) measure(r *result, at, end time.Time) {
	r.gap, r.recovery, _ = e.monitor.Outage(at, end)
	r.view = e.viewer.Measure(at, end)
	r.other = e.source.Measure(at, end)
	if gap, _, ok := e.api.Outage(at, end); ok {
		r.note("stats through the viewer's node: longest pause %.2f s", gap.Seconds())
	}
}

// close stops everything.
func (e *clusterEnv) close() {
	e.cancel()
	if e.pub != nil {
		e.pub.Kill()
	}
	for _, row := range e.proxies {
		for _, p := range row {
			if p != nil {
				_ = p.Close()
			}
		}
	}
	for _, n := range e.nodes {
		n.Stop()
	}
	if e.src != nil {
		e.src.Stop()
	}
}

// ownerLog polls every node's probe answer (GET /streamhive/cluster/node
// with a proof of the key) every 100 ms and keeps the changes of which
// nodes claim stream a. A node that does not answer (killed, partitioned
// from the harness never: the harness asks it directly) claims nothing.
type ownerLog struct {
	nodes []*chaos.Server

	mu      sync.Mutex
	cur     []int
	changes []ownerChange
}

type ownerChange struct {
	at     time.Time
	owners []int
}

func (o *ownerLog) run(ctx context.Context) {
	client := http.Client{Timeout: 500 * time.Millisecond}
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	for {
		var owners []int
		for i, n := range o.nodes {
			if captures(ctx, &client, n.Base()) {
				owners = append(owners, i)
			}
		}
		o.mu.Lock()
		if len(o.changes) == 0 || !slices.Equal(owners, o.cur) {
			o.changes = append(o.changes, ownerChange{time.Now(), owners})
		}
		o.cur = owners
		o.mu.Unlock()
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// captures reports whether the node at base claims stream a.
func captures(ctx context.Context, client *http.Client, base string) bool {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+cluster.NodePath, nil)
	if err != nil {
		return false
	}
	req.Header.Set(cluster.KeyHeader, cluster.KeyProof(clusterKey, time.Now()))
	resp, err := client.Do(req)
	if err != nil {
		return false
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		return false
	}
	info, err := cluster.ReadNodeInfo(resp.Body)
	return err == nil && slices.Contains(info.Captures, "a")
}

// now is the nodes that claim stream a.
func (o *ownerLog) now() []int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return slices.Clone(o.cur)
}

// since returns the changes after t (the state at t first).
func (o *ownerLog) since(t time.Time) []ownerChange {
	o.mu.Lock()
	defer o.mu.Unlock()
	var out []ownerChange
	for i, c := range o.changes {
		if c.at.After(t) {
			if len(out) == 0 && i > 0 {
				out = append(out, o.changes[i-1])
			}
			out = append(out, c)
		}
	}
	if len(out) == 0 && len(o.changes) > 0 {
		out = append(out, o.changes[len(o.changes)-1])
	}
	return out
}

// describe formats changes as "n1 → none@2.1s → n2@3.0s", times from t.
func describe(changes []ownerChange, t time.Time) string {
	parts := make([]string, len(changes))
	for i, c := range changes {
		names := "none"
		if len(c.owners) > 0 {
			ns := make([]string, len(c.owners))
			for k, n := range c.owners {
				ns[k] = fmt.Sprintf("n%d", n)
			}
			names = strings.Join(ns, "+")
		}
		if i == 0 {
			parts[i] = names
			continue
		}
		parts[i] = fmt.Sprintf("%s@%.1fs", names, c.at.Sub(t).Seconds())
	}
	return strings.Join(parts, " → ")
}
