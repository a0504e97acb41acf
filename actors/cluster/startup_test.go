package cluster

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"streamhive/actors/config"
)

// simNode is one node of a simulated cluster start: the real provider
// rounds and Placer over a fake network, its probe answer carrying the
// Placer's claims as a node's does.
type simNode struct {
	name   string
	at     time.Duration // when the process starts (and its HTTP port answers)
	prov   *provider
	placer *Placer

	mu      sync.Mutex
	started bool
}

func (n *simNode) info() (NodeInfo, bool) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if !n.started {
		return NodeInfo{}, false
	}
	return NodeInfo{ID: n.name + "-id", Address: n.name, API: "http://" + n.name, Captures: n.placer.Captures()}, true
}

// simNet is the network between the simulated nodes. A node that is not
// up refuses the connection at once, or, blackhole, never answers (the
// probe runs to its timeout).
type simNet struct {
	nodes     map[string]*simNode
	blackhole bool
}

func (s *simNet) probe(ctx context.Context, p Peer) (NodeInfo, error) {
	if n := s.nodes[p.Name]; n != nil {
		if info, ok := n.info(); ok {
			return info, nil
		}
	}
	if s.blackhole {
		<-ctx.Done()
		return NodeInfo{}, ctx.Err()
	}
	return NodeInfo{}, errors.New("connection refused")
}

// simCluster starts nodes named n0.. at the offsets given and returns
// them; they stop with the test. Each has a peer line for every other
// node, and for itself when withSelf (a node whose own line has not
// answered has not settled).
func simCluster(t *testing.T, blackhole, withSelf bool, cur *config.Server, at ...time.Duration) []*simNode {
	t.Helper()
	net := &simNet{nodes: map[string]*simNode{}, blackhole: blackhole}
	var peers []Peer
	for i := range at {
		name := fmt.Sprintf("n%d:80", i)
		peers = append(peers, Peer{Name: name, URL: "http://" + name})
	}
	nodes := make([]*simNode, len(at))
	for i, d := range at {
		n := &simNode{name: peers[i].Name, at: d}
		nodes[i], net.nodes[n.name] = n, n
	}
	for _, n := range nodes {
		self := Member{ID: n.name + "-id", Name: n.name, API: "http://" + n.name, Address: n.name}
		lines := slices.DeleteFunc(slices.Clone(peers), func(p Peer) bool { return !withSelf && p.Name == n.name })
		n.prov = newProvider(net.probe, 0, slog.New(slog.DiscardHandler), lines)
		n.prov.view = newView(self)
		n.placer = NewPlacer(PlacerConfig{View: n.prov.view, Current: func() *config.Server { return cur }, Resync: func([]string) {}})
		n.prov.self = func() Member { m := self; m.Captures = n.placer.Captures(); return m }
	}
	quit := make(chan struct{})
	var starts sync.WaitGroup
	for _, n := range nodes {
		starts.Go(func() {
			select {
			case <-quit: // the test ended first
				return
			case <-time.After(n.at):
			}
			// As the server starts: the first probe round, the first
			// placement, then the HTTP port that answers probes.
			n.prov.start()
			n.placer.Start()
			n.mu.Lock()
			n.started = true
			n.mu.Unlock()
		})
	}
	t.Cleanup(func() {
		close(quit)
		starts.Wait()
		for _, n := range nodes {
			if _, up := n.info(); up {
				_ = n.prov.Shutdown(false)
				n.placer.Stop()
			}
		}
	})
	return nodes
}

// capturing lists the nodes that capture stream now.
func capturing(nodes []*simNode, stream string) []string {
	var out []string
	for _, n := range nodes {
		if slices.Contains(n.placer.Captures(), stream) {
			out = append(out, n.name)
		}
	}
	return out
}

// watchCaptures samples which nodes capture each stream every 10 ms for
// d and returns the longest stretch during which two or more captured
// one stream at once.
func watchCaptures(nodes []*simNode, streams []string, d time.Duration) (double time.Duration) {
	since := make([]time.Time, len(streams))
	for end := time.Now().Add(d); time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
		for i, s := range streams {
			switch n := len(capturing(nodes, s)); {
			case n > 1 && since[i].IsZero():
				since[i] = time.Now()
			case n <= 1 && !since[i].IsZero():
				double, since[i] = max(double, time.Since(since[i])), time.Time{}
			}
		}
	}
	for _, s := range since {
		if !s.IsZero() {
			double = max(double, time.Since(s))
		}
	}
	return double
}

// TestClusterStartCapturesOnce: nodes of a cluster that start at once, or
// one after another at any moment of each other's first probe rounds,
// capture each cluster_ingest stream on one node, never two at once: none
// captures before its membership has settled, a node settles beside its
// peers only once they have settled too (their claims are then final),
// and a settled node claims what it is about to capture at once. Time is
// synctest's (sampled every 10 ms), so the runs are exact.
func TestClusterStartCapturesOnce(t *testing.T) {
	streams := []string{"cam0", "cam1", "cam2", "cam3"}
	var cfg []config.Stream
	for _, s := range streams {
		cfg = append(cfg, ingestStream(s, ""))
	}
	cur := ingestServer(cfg...)
	s := time.Second
	type start struct {
		name      string
		blackhole bool
		at        []time.Duration
	}
	cases := []start{
		{"at once", false, []time.Duration{0, 0, 0}},
		{"at once, down peers swallow probes", true, []time.Duration{0, 0, 0}},
		{"within a round", false, []time.Duration{0, 300 * time.Millisecond, 700 * time.Millisecond}},
		{"one late", false, []time.Duration{0, 0, 5 * s}},
	}
	// One node starts at every 50 ms of the other's first 4 s: whatever
	// the moment (one settles alone just as the other comes up, at 2 s,
	// was the hard one), no stream is captured twice.
	for d := time.Duration(0); d <= 4*s; d += 50 * time.Millisecond {
		cases = append(cases, start{fmt.Sprintf("second at %v", d), false, []time.Duration{0, d}})
	}
	for _, c := range cases {
		for _, withSelf := range []bool{true, false} {
			t.Run(fmt.Sprintf("%s/self line %v", c.name, withSelf), func(t *testing.T) {
				synctest.Test(t, func(t *testing.T) {
					nodes := simCluster(t, c.blackhole, withSelf, cur, c.at...)
					last := slices.Max(c.at)
					worst := watchCaptures(nodes, streams, last+8*time.Second)
					if worst > 0 {
						t.Errorf("a stream captured by two nodes at once for %v", worst)
					}
					for _, st := range streams {
						if got := capturing(nodes, st); len(got) != 1 {
							t.Errorf("%s captured by %v once settled, want one node", st, got)
						}
					}
				})
			})
		}
	}
}

// TestClusterAloneCapturesWithinDetection: a node that starts while its
// peers are down captures once its three settling rounds are over: 2 s
// when the peers refuse connections, 3 s when their probes time out
// (fetch_timeout, 1 s, each), plus one placement poll: the same bar as a
// takeover (3 missed probes, then a poll).
func TestClusterAloneCapturesWithinDetection(t *testing.T) {
	cur := ingestServer(ingestStream("cam", ""))
	for _, c := range []struct {
		blackhole bool
		want      time.Duration // when membership settles
	}{{false, 2 * time.Second}, {true, 3 * time.Second}} {
		synctest.Test(t, func(t *testing.T) {
			// Node 0 starts now; 1 and 2 would start long after the test.
			nodes := simCluster(t, c.blackhole, true, cur, 0, time.Hour, time.Hour)
			start := time.Now()
			for len(nodes[0].placer.Captures()) == 0 {
				time.Sleep(10 * time.Millisecond)
			}
			took := time.Since(start)
			t.Logf("peers down (probes time out: %v): captures alone after %v", c.blackhole, took)
			if took < c.want || took > c.want+DefaultPlaceInterval {
				t.Errorf("captured alone after %v, want %v + at most a placement poll (%v)", took, c.want, DefaultPlaceInterval)
			}
		})
	}
}
