package main

import (
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"streamhive/chaos"
)

// The node scenarios' bars.
const (
	// nodeLossBar is the most a viewer of another node may lose when the
	// node capturing its stream dies: detection (3 probes of 1 s) plus
	// the new capture's first keyframe and a segment.
	nodeLossBar = 5 * time.Second
	// settleWait bounds a fresh cluster's first capture of stream a.
	settleWait = 25 * time.Second
)

// runNodeLoss is scenarios n1 and n2 on one cluster: n1 SIGKILLs the node
// that captures stream a while a viewer watches it through another node;
// n2 starts the killed node again (same configuration) and watches ~15 s
// for the capture moving back or flapping, and for a new gap.
func runNodeLoss(root, bin, clip string) []*result {
	n1 := &result{
		name: "n1", what: "SIGKILL the node capturing cluster_ingest stream a (3 nodes, static peers); the viewer watches through another node",
		bar: "viewer gap ≤ 5 s, no reload",
	}
	n2 := &result{
		name: "n2", what: "start the killed node again (same config): it rejoins",
		bar: "no ownership change over 15 s; viewer: no new gap (stall ≤ 0.5 s, as the untouched stream); output gap ≤ 1 GOP",
	}
	slog.Info("chaos: scenario", "name", "n1+n2", "fault", n1.what)
	e, err := newClusterEnv(root, "n1", bin, clip, false)
	defer e.close()
	if err != nil {
		n1.fail("start: %v", err)
		n2.fail("n1 did not start")
		return []*result{n1, n2}
	}
	o, err := e.owner(settleWait)
	if err != nil {
		n1.fail("%v", err)
		n2.fail("n1 did not start")
		return []*result{n1, n2}
	}
	v := (o + 1) % 3
	e.watch(v)
	if err := e.warm(4, 25*time.Second); err != nil {
		n1.fail("warm-up: %v", err)
		n2.fail("n1 did not start")
		return []*result{n1, n2}
	}
	at := time.Now()
	e.nodes[o].Kill()
	time.Sleep(10 * time.Second)
	end := time.Now()
	e.measure(n1, at, end)
	n1.judge(nodeLossBar, false)
	moved := e.owners.since(at)
	n1.note("owner n%d, viewer on n%d; captures: %s", o, v, describe(moved, at))
	if now := e.owners.now(); len(now) != 1 || now[0] == o {
		n1.fail("after the kill stream a is captured by %v, want one other node", now)
	} else {
		n1.note("capture taken over after %.2f s", firstOwnerAfter(moved, at, now[0]).Seconds())
	}
	slog.Info("chaos: done", "name", "n1", "pass", n1.pass(), "gap", n1.gap, "stall", n1.view.Stall)

	at = time.Now()
	if err := e.nodes[o].Start(); err != nil {
		n2.fail("restart: %v", err)
		return []*result{n1, n2}
	}
	time.Sleep(15 * time.Second)
	end = time.Now()
	e.measure(n2, at, end)
	n2.judge(gop, false)
	if n2.view.Stall > otherStall {
		n2.fail("the viewer stalled %v after the restart, bar %v", n2.view.Stall.Round(time.Millisecond), otherStall)
	}
	changes := e.owners.since(at)
	n2.note("captures: %s", describe(changes, at))
	if len(changes) > 1 {
		n2.fail("%d ownership changes after the restart, want 0", len(changes)-1)
	}
	if now := e.owners.now(); len(now) != 1 || now[0] == o {
		n2.fail("stream a is captured by %v at the end, want the node that took it over", now)
	}
	e.dumpViewer(at)
	slog.Info("chaos: done", "name", "n2", "pass", n2.pass(), "changes", len(changes)-1)
	return []*result{n1, n2}
}

// runPartition is scenario n3: the node capturing stream a is cut off
// from the other two (every probe to and from it goes through a TCP proxy
// that stops forwarding) for 8 s, then heals.
func runPartition(root, bin, clip string) *result {
	r := &result{
		name: "n3", what: "partition the node capturing stream a for 8 s (its probes both ways through TCP proxies that stop forwarding), then heal",
		bar: "members drop and return; captured once after healing; viewer gap ≤ 5 s, no reload",
	}
	slog.Info("chaos: scenario", "name", r.name, "fault", r.what)
	e, err := newClusterEnv(root, "n3", bin, clip, true)
	defer e.close()
	if err != nil {
		r.fail("start: %v", err)
		return r
	}
	o, err := e.owner(settleWait)
	if err != nil {
		r.fail("%v", err)
		return r
	}
	v := (o + 1) % 3
	e.watch(v)
	if err := e.warm(4, 25*time.Second); err != nil {
		r.fail("warm-up: %v", err)
		return r
	}
	logAt := logSize(e.nodes[v])
	at := time.Now()
	e.partition(o, true)
	time.Sleep(8 * time.Second)
	e.partition(o, false)
	healed := time.Now()
	time.Sleep(12 * time.Second)
	end := time.Now()
	e.measure(r, at, end)
	r.judge(nodeLossBar, false)
	changes := e.owners.since(at)
	most := 0
	for _, c := range changes {
		most = max(most, len(c.owners))
	}
	r.note("owner n%d, viewer on n%d; captures: %s (heal at %.1fs); at most %d at once",
		o, v, describe(changes, at), healed.Sub(at).Seconds(), most)
	if now := e.owners.now(); len(now) != 1 {
		r.fail("after healing stream a is captured by %v, want exactly one node", now)
	}
	if last := changes[len(changes)-1]; end.Sub(last.at) < 5*time.Second {
		r.fail("captures changed %.1f s before the end: not settled", end.Sub(last.at).Seconds())
	}
	log := logSince(e.nodes[v], logAt)
	dropped := strings.Index(log, "cluster: peer dropped")
	joined := strings.LastIndex(log, "cluster: peer joined")
	switch {
	case dropped < 0:
		r.fail("the viewer's node never dropped the partitioned one")
	case joined < dropped:
		r.fail("the viewer's node never saw the partitioned one again")
	default:
		r.note("the viewer's node dropped it and saw it rejoin")
	}
	e.dumpViewer(at)
	slog.Info("chaos: done", "name", r.name, "pass", r.pass(), "stall", r.view.Stall, "most", most)
	return r
}

// firstOwnerAfter is when node n became stream a's only owner after t.
func firstOwnerAfter(changes []ownerChange, t time.Time, n int) time.Duration {
	for _, c := range changes {
		if c.at.After(t) && len(c.owners) == 1 && c.owners[0] == n {
			return c.at.Sub(t)
		}
	}
	return 0
}

func logSize(s *chaos.Server) int64 {
	if fi, err := os.Stat(s.Log); err == nil {
		return fi.Size()
	}
	return 0
}

// logSince is the server's log from offset on.
func logSince(s *chaos.Server, offset int64) string {
	f, err := os.Open(s.Log)
	if err != nil {
		return ""
	}
	defer func() { _ = f.Close() }()
	if _, err := f.Seek(offset, io.SeekStart); err != nil {
		return ""
	}
	b, _ := io.ReadAll(f)
	return string(b)
}

// dumpViewer writes what stream a's viewer saw, as env.dump does.
func (e *clusterEnv) dumpViewer(at time.Time) {
	d := &env{dir: e.dir, viewer: map[string]*chaos.Viewer{"a": e.viewer, "source": e.source}}
	d.dump(at)
}
