package cluster

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"streamhive/actors/config"
)

// fakeSources answers each source's probe from answers (by URL), an
// error for URLs not in it, and records the key each probe proved.
type fakeSources struct {
	mu      sync.Mutex
	answers map[string]NodeInfo
	keys    map[string]string
}

func (f *fakeSources) probe(key string) probeFunc {
	return func(_ context.Context, p Peer) (NodeInfo, error) {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.keys[p.URL] = key
		if n, ok := f.answers[p.URL]; ok {
			return n, nil
		}
		return NodeInfo{}, errors.New("no answer")
	}
}

// TestSourcesFollowTheLines: each source is probed with its line's
// cluster_key, else the global one; its streams are filtered by
// only/except; a source is dropped after sourceMisses missed probes.
func TestSourcesFollowTheLines(t *testing.T) {
	cfg := &config.Server{ClusterKey: "global", Sources: []config.Source{
		{URL: "a:80", Only: []string{"x", "live/*"}, Except: []string{"live/secret"}, ClusterKey: "akey"},
		{URL: "b:80"},
	}}
	f := &fakeSources{keys: map[string]string{}, answers: map[string]NodeInfo{
		"http://a:80": {ID: "A", Streams: []string{"live/one", "live/secret", "x", "y"}},
		"http://b:80": {ID: "B", Streams: []string{"z"}},
	}}
	s := NewSources(func() *config.Server { return cfg }, slog.New(slog.DiscardHandler))
	s.probe = f.probe
	s.round()
	if f.keys["http://a:80"] != "akey" || f.keys["http://b:80"] != "global" {
		t.Errorf("probe keys %v: want the line's, else the global one", f.keys)
	}
	got := s.Members()
	if len(got) != 2 || got[0].API != "http://a:80" || got[0].Name != "a:80" ||
		!slices.Equal(got[0].Streams, []string{"live/one", "x"}) || !slices.Equal(got[1].Streams, []string{"z"}) {
		t.Fatalf("members %+v", got)
	}
	delete(f.answers, "http://b:80")
	for i := 1; i < sourceMisses; i++ {
		s.round()
		if len(s.Members()) != 2 {
			t.Fatalf("b dropped after %d misses", i)
		}
	}
	s.round()
	if got := s.Members(); len(got) != 1 || got[0].ID != "A" {
		t.Errorf("after %d misses: %+v, want a alone", sourceMisses, got)
	}
	cfg = &config.Server{ClusterKey: "global"} // a reload without source lines
	s.round()
	if len(s.Members()) != 0 || len(s.last) != 0 {
		t.Errorf("removed lines still served: %+v", s.Members())
	}
}

// TestSourcesStartStop: Start probes at once; Stop ends the goroutine.
func TestSourcesStartStop(t *testing.T) {
	cfg := &config.Server{ClusterKey: "k", Sources: []config.Source{{URL: "a:80"}}}
	f := &fakeSources{keys: map[string]string{}, answers: map[string]NodeInfo{"http://a:80": {ID: "A", Streams: []string{"x"}}}}
	s := NewSources(func() *config.Server { return cfg }, nil)
	s.probe = f.probe
	s.Start()
	deadline := time.Now().Add(5 * time.Second)
	for len(s.Members()) == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	s.Stop()
	if len(s.Members()) != 1 {
		t.Errorf("members %+v after Start", s.Members())
	}
}

// TestStandaloneAnswer: a node outside a cluster answers a source's
// probe with its streams and no remote address, which a source accepts
// and a cluster member refuses; no cluster_key refuses every proof.
func TestStandaloneAnswer(t *testing.T) {
	key := "k"
	n := Standalone{ID: "S", Key: func() string { return key }, Streams: func() []string { return []string{"x"} }}
	if !n.CheckProof(KeyProof("k", time.Now())) || n.CheckProof(KeyProof("other", time.Now())) {
		t.Error("proofs checked wrong")
	}
	key = ""
	if n.CheckProof(KeyProof("", time.Now())) {
		t.Error("a node without cluster_key accepted a proof")
	}
	b := []byte(`{"id":"S","streams":["x"],"load":{}}`)
	if _, err := ParseNodeInfo(b); !errors.Is(err, ErrNodeInfo) {
		t.Errorf("a cluster probe accepted a standalone answer: %v", err)
	}
	if info, err := decodeNodeInfo(b); err != nil || info.ID != "S" || !slices.Equal(info.Streams, n.Info().Streams) {
		t.Errorf("a source probe read %+v, %v", info, err)
	}
}
