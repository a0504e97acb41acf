package dvr

import (
	"testing"

	"streamhive/actors/config"
	"streamhive/actors/stream"
	"streamhive/media"
	store "streamhive/media/dvr"
)

// TestServedThroughCluster: with Options.Cluster, the archive a stream's
// playback gets (Start), the API's (Archive) and a relay's (Relayed) are
// what Cluster makes of the local store; a stream it does not merge
// serves its store, and a relay of it nothing.
func TestServedThroughCluster(t *testing.T) {
	var seen []store.Archive
	cluster := func(name string, local store.Archive) store.Archive {
		if name != "cam" {
			return nil
		}
		seen = append(seen, local)
		return store.NewUnion(func() []store.Part { return nil })
	}
	cfg := &config.Server{}
	s := New(Options{Current: func() *config.Server { return cfg }, Retention: -1, Cluster: cluster})
	defer s.Close()
	if s.Relayed("cam") == nil || seen[0] != nil {
		t.Fatalf("relay before any recording: %v", seen)
	}
	if _, ok := s.Archive("plain"); ok {
		t.Error("an archive for a stream that records nothing")
	}
	for _, name := range []string{"cam", "plain"} {
		a, _, err := s.Start(stream.DVRSpec{Stream: media.StreamName(name), Config: config.StreamDVR{Root: t.TempDir()}})
		if err != nil {
			t.Fatal(err)
		}
		st, _ := s.Store(name)
		_, isUnion := a.(*store.Union)
		if isUnion != (name == "cam") {
			t.Errorf("%s: playback gets %T", name, a)
		}
		if got, ok := s.Archive(name); !ok || (name == "plain" && got != store.Archive(st)) {
			t.Errorf("%s: API gets %T", name, got)
		}
	}
	if last := seen[len(seen)-1]; last == nil {
		t.Error("Cluster was not given the local store")
	}
	if s.Relayed("plain") != nil {
		t.Error("a relay of a stream that is not merged got an archive")
	}
}

// TestStoreOfAnEarlierCapture: a node that relays a cluster_ingest stream
// it recorded before its restart opens that store for the cluster to read
// (no writer started it in this process); its writer, when the node
// captures again, writes into the same store. A plain stream's store is
// opened by its writer only.
func TestStoreOfAnEarlierCapture(t *testing.T) {
	root := t.TempDir()
	rec := &config.StreamDVR{Root: root}
	cfg := &config.Server{Streams: []config.Stream{
		{Name: "ci", MediaOptions: config.MediaOptions{ClusterIngest: &config.ClusterIngest{}, DVR: rec}},
		{Name: "plain", MediaOptions: config.MediaOptions{DVR: rec}},
		{Name: "nodvr", MediaOptions: config.MediaOptions{ClusterIngest: &config.ClusterIngest{}}},
	}}
	s := New(Options{Current: func() *config.Server { return cfg }, Retention: -1})
	defer s.Close()
	st, ok := s.Store("ci")
	if !ok {
		t.Fatal("no store for a cluster_ingest stream recorded here before")
	}
	for _, name := range []string{"plain", "nodvr", "unknown"} {
		if _, ok := s.Store(name); ok {
			t.Errorf("%s: a store opened without a writer", name)
		}
	}
	if _, _, err := s.Start(stream.DVRSpec{Stream: "ci", Config: *rec}); err != nil {
		t.Fatal(err)
	}
	if again, _ := s.Store("ci"); again != st {
		t.Error("the writer opened a second store over the same root")
	}
}
