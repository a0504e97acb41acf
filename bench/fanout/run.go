package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"

	"streamhive/bench/internal/benchkit"
	"streamhive/bench/internal/rtmppub"
)

// usage is one node's CPU and RSS with one viewer (base; none on the
// origin) and with all its viewers.
type usage struct {
	node    string
	viewers int
	base    benchkit.Usage
	with    benchkit.Usage
}

// perViewer is the CPU, % of one core, one more viewer adds: the baseline
// has one viewer, so it holds the stream's own cost (the publisher's
// ingest, an edge's relay, which runs on demand) and the viewers' share
// alone is divided.
func (u usage) perViewer() float64 {
	if u.viewers < 2 {
		return 0
	}
	return (u.with.CPU - u.base.CPU) / float64(u.viewers-1)
}

// clusterRun is the fan-out's figures.
type clusterRun struct {
	nodes      []usage // origin, edge1, edge2
	sourceKbit float64 // s1's input on the origin in the window (input_bytes)
	uploadKbit float64 // the origin's writes in the window (wchar)
	pulls      []pull  // m4f pulls the origin served in the whole run
	viewers    outcome
	load       string
}

// edgePerViewer is the CPU one more viewer adds, over both edges.
func (r clusterRun) edgePerViewer() float64 {
	if len(r.nodes) < 2 {
		return 0 // no cluster ran
	}
	var cpu float64
	var n int
	for _, u := range r.nodes[1:] {
		cpu += u.with.CPU - u.base.CPU
		n += u.viewers - 1
	}
	return cpu / float64(max(n, 1))
}

// singleRun is one node serving every viewer itself.
type singleRun struct {
	node    usage
	viewers outcome
	load    string
}

// measureAll reads each pid's usage over the same window.
func measureAll(ctx context.Context, d time.Duration, pids ...int) ([]benchkit.Usage, error) {
	out := make([]benchkit.Usage, len(pids))
	errs := make([]error, len(pids))
	var wg sync.WaitGroup
	for i, pid := range pids {
		wg.Go(func() { out[i], errs[i] = benchkit.Measure(ctx, pid, d) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return out, err
		}
	}
	return out, nil
}

// clusterConfig is a node's file: its listeners, the key, a peer line per
// node (its own included: the same lines everywhere) and s1 where the
// mode has it.
func clusterConfig(o options, n, origin *node, key string, all []*node) string {
	var b strings.Builder
	b.WriteString(n.listeners())
	fmt.Fprintf(&b, "cluster_key %s;\n", key)
	for _, p := range all {
		fmt.Fprintf(&b, "peer %s;\n", p.http)
	}
	switch {
	case o.mode == modeIngest:
		fmt.Fprintf(&b, "stream %s { input publish://; cluster_ingest capture_at=%s; }\n", streamName, origin.http)
	case n == origin:
		fmt.Fprintf(&b, "stream %s { input publish://; }\n", streamName)
	}
	return b.String()
}

// runCluster starts the origin and two edges, publishes s1 to the origin,
// measures the nodes with one viewer per edge, then with o.viewers split
// over the edges, and stops them.
func runCluster(ctx context.Context, o options, dir string, smp *rtmppub.Sample) (clusterRun, error) {
	var r clusterRun
	origin, err := newNode(dir, "origin", true)
	if err != nil {
		return r, err
	}
	edge1, err := newNode(dir, "edge1", false)
	if err != nil {
		return r, err
	}
	edge2, err := newNode(dir, "edge2", false)
	if err != nil {
		return r, err
	}
	all := []*node{origin, edge1, edge2}
	defer func() {
		for _, n := range all {
			n.stop()
		}
	}()
	key := make([]byte, 16)
	_, _ = rand.Read(key)
	for _, n := range all {
		if err := n.start(ctx, o.bin, clusterConfig(o, n, origin, hex.EncodeToString(key), all)); err != nil {
			return r, err
		}
	}
	for _, n := range all {
		if err := n.waitFor(30*time.Second, "in a cluster of three", func() bool {
			return strings.Contains(n.log(), `msg="cluster: members" count=3`)
		}); err != nil {
			return r, err
		}
	}
	stopPublish, err := origin.publish(ctx, smp)
	if err != nil {
		return r, err
	}
	defer stopPublish()
	// One viewer per edge for the baseline: each edge's relay runs.
	v := newViewers(ctx, o.viewers, []string{edge1.hls(), edge2.hls()})
	defer v.stop()
	v.start(0, 2)
	if err := v.playing(2, 30*time.Second); err != nil {
		return r, err
	}
	time.Sleep(o.warmup)
	base, err := measureAll(ctx, o.window, origin.pid, edge1.pid, edge2.pid)
	if err != nil {
		return r, err
	}
	slog.Info("cluster with a viewer per edge", "origin_cpu", base[0].CPU, "edge1_cpu", base[1].CPU, "edge2_cpu", base[2].CPU)
	v.start(2, o.viewers)
	time.Sleep(o.warmup)
	_, w0, err := benchkit.ReadIO(origin.pid)
	if err != nil {
		return r, err
	}
	in0, err := origin.stats()
	if err != nil {
		return r, err
	}
	s0, t0 := v.snapshot(), time.Now()
	with, err := measureAll(ctx, o.window, origin.pid, edge1.pid, edge2.pid, os.Getpid())
	if err != nil {
		return r, err
	}
	s1, secs := v.snapshot(), time.Since(t0)
	_, w1, err := benchkit.ReadIO(origin.pid)
	if err != nil {
		return r, err
	}
	in1, err := origin.stats()
	if err != nil {
		return r, err
	}
	r.sourceKbit = float64(in1.InputBytes-in0.InputBytes) * 8 / secs.Seconds() / 1000
	r.uploadKbit = float64(w1-w0) * 8 / secs.Seconds() / 1000
	r.viewers, r.load = v.outcome(s0, s1, secs, with[3].CPU), benchkit.LoadAvg1()
	// Viewer i plays from edge i%2: edge1 has the odd one out.
	split := []int{0, (o.viewers + 1) / 2, o.viewers / 2}
	for i, n := range all {
		r.nodes = append(r.nodes, usage{node: n.name, viewers: split[i], base: base[i], with: with[i]})
	}
	v.stop()
	// The edges' pulls end when they stop: the origin logs each one.
	edge1.stop()
	edge2.stop()
	if err := origin.waitFor(5*time.Second, "logging the edges' pulls", func() bool { return len(origin.pulls()) >= 2 }); err != nil {
		slog.Warn("pulls", "err", err)
	}
	r.pulls = origin.pulls()
	return r, nil
}

// runSingle starts one node without a cluster, publishes s1 to it,
// measures it with one viewer and with every viewer on it, and stops it.
func runSingle(ctx context.Context, o options, dir string, smp *rtmppub.Sample) (singleRun, error) {
	var r singleRun
	n, err := newNode(dir, "single", true)
	if err != nil {
		return r, err
	}
	defer n.stop()
	if err := n.start(ctx, o.bin, n.listeners()+fmt.Sprintf("stream %s { input publish://; }\n", streamName)); err != nil {
		return r, err
	}
	stopPublish, err := n.publish(ctx, smp)
	if err != nil {
		return r, err
	}
	defer stopPublish()
	v := newViewers(ctx, o.viewers, []string{n.hls()})
	defer v.stop()
	v.start(0, 1)
	if err := v.playing(1, 30*time.Second); err != nil {
		return r, err
	}
	time.Sleep(o.warmup)
	r.node = usage{node: n.name, viewers: o.viewers}
	if r.node.base, err = benchkit.Measure(ctx, n.pid, o.window); err != nil {
		return r, err
	}
	v.start(1, o.viewers)
	time.Sleep(o.warmup)
	s0, t0 := v.snapshot(), time.Now()
	with, err := measureAll(ctx, o.window, n.pid, os.Getpid())
	if err != nil {
		return r, err
	}
	s1, secs := v.snapshot(), time.Since(t0)
	r.node.with = with[0]
	r.viewers, r.load = v.outcome(s0, s1, secs, with[1].CPU), benchkit.LoadAvg1()
	return r, nil
}
