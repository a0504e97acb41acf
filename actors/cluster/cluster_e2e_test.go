//go:build e2e && !race

// protoactor's cluster code has data races that -race reports: these
// in-process nodes run only in a build without it.

package cluster

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"streamhive/actors/config"
	"streamhive/actors/kit"
	"streamhive/media/mediatest"
	"streamhive/media/stats"
)

// fakeLocal runs one stream, "s1", with two inputs.
type fakeLocal struct{ selected atomic.Int32 }

func (f *fakeLocal) Stats(name string) (stats.Stream, bool) {
	if name != "s1" {
		return stats.Stream{}, false
	}
	return stats.Stream{Alive: true}, true
}

func (f *fakeLocal) SelectInput(_ context.Context, name string, index int) error {
	switch {
	case name != "s1":
		return config.ErrNotFound
	case index > 1:
		return config.ErrNoInput
	}
	f.selected.Store(int32(index))
	return nil
}

func (f *fakeLocal) StopStream(_ context.Context, name string) error {
	if name != "s1" {
		return config.ErrNotFound
	}
	return nil
}

type testNode struct {
	node  atomic.Pointer[Node]
	http  *httptest.Server
	local fakeLocal
	log   syncBuffer
}

// probeHandler is the probe endpoint as the gateway serves it.
func (t *testNode) probeHandler(w http.ResponseWriter, r *http.Request) {
	n := t.node.Load()
	if n == nil {
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	if !n.CheckProof(r.Header.Get(KeyHeader)) {
		w.WriteHeader(http.StatusForbidden)
		return
	}
	_ = json.NewEncoder(w).Encode(n.Info())
}

func startNodes(t *testing.T, keys ...string) []*testNode {
	t.Helper()
	nodes := make([]*testNode, len(keys))
	var peers []Peer
	for i := range nodes {
		n := &testNode{}
		n.http = httptest.NewServer(http.HandlerFunc(n.probeHandler))
		t.Cleanup(n.http.Close)
		nodes[i] = n
		peers = append(peers, Peer{Name: strings.TrimPrefix(n.http.URL, "http://"), URL: n.http.URL})
	}
	for i, n := range nodes {
		log := slog.New(slog.NewTextHandler(&n.log, nil))
		sys := kit.NewSystem(log)
		node, err := Start(sys, Config{
			Key: keys[i], Peers: peers, Name: "fallback", API: n.http.URL,
			Host: "127.0.0.1", Local: &n.local, Logger: log,
			Streams: func() []string { return []string{"s1"} },
		})
		if err != nil {
			t.Fatal(err)
		}
		n.node.Store(node)
		t.Cleanup(node.Stop)
	}
	return nodes
}

func memberCount(n *testNode) int { return len(n.node.Load().View().Members()) }

func TestThreeNodesInProcess(t *testing.T) {
	nodes := startNodes(t, "k", "k", "k")
	for i, n := range nodes {
		mediatest.WaitFor(t, 10*time.Second, fmt.Sprintf("node %d sees 3 members", i), func() bool { return memberCount(n) == 3 })
	}
	a, c := nodes[0].node.Load(), nodes[2].node.Load()
	if self := a.View().Self(); self.Name != strings.TrimPrefix(nodes[0].http.URL, "http://") {
		t.Errorf("A names itself %q", self.Name)
	}
	var ma Member
	for _, m := range c.View().Members() {
		if m.ID == a.View().Self().ID {
			ma = m
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	st, ok, err := c.Remote().Stats(ctx, ma, "s1")
	if err != nil || !ok || !st.Alive {
		t.Fatalf("stats through C: %+v %v %v", st, ok, err)
	}
	if err := c.Remote().SelectInput(ctx, ma, "s1", 1); err != nil || nodes[0].local.selected.Load() != 1 {
		t.Fatalf("select through C: %v", err)
	}
	if err := c.Remote().SelectInput(ctx, ma, "nope", 1); !errors.Is(err, config.ErrNotFound) {
		t.Errorf("select of a stream A does not run: %v", err)
	}
	if err := c.Remote().SelectInput(ctx, ma, "s1", 7); !errors.Is(err, config.ErrNoInput) {
		t.Errorf("select of an input s1 lacks: %v", err)
	}
	if err := c.Remote().Stop(ctx, ma, "s1"); err != nil {
		t.Errorf("stop through C: %v", err)
	}
}

func TestWrongKeyNodeCannotJoin(t *testing.T) {
	nodes := startNodes(t, "k", "k", "other")
	mediatest.WaitFor(t, 10*time.Second, "A and B see each other", func() bool { return memberCount(nodes[0]) == 2 && memberCount(nodes[1]) == 2 })
	bad := nodes[2]
	if n := memberCount(bad); n != 1 {
		t.Errorf("the wrong-key node sees %d members", n)
	}
	mediatest.WaitFor(t, 5*time.Second, "the wrong-key node logs the refusal", func() bool { return strings.Contains(bad.log.String(), "refused our cluster_key") })
	// A call from the wrong-key node on A's cluster actor is refused, and
	// A's log names the caller.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	a := nodes[0].node.Load().View().Self()
	if _, _, err := bad.node.Load().Remote().Stats(ctx, a, "s1"); err == nil {
		t.Error("the wrong-key node's call got through")
	}
	mediatest.WaitFor(t, 5*time.Second, "A logs the refused call", func() bool {
		return strings.Contains(nodes[0].log.String(), "refused a remote call without our cluster_key")
	})
	for _, n := range nodes {
		if s := n.log.String(); strings.Contains(s, "other") && strings.Contains(s, "k\"") {
			t.Errorf("a log holds a key: %s", s)
		}
	}
}
