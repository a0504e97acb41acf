package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The origin's log lines for two ended pulls (and others) give two pulls
// with their bytes and durations.
func TestPullsFromTheOriginsLog(t *testing.T) {
	n := &node{logPath: filepath.Join(t.TempDir(), "server.log")}
	log := `time=2026-12-07T16:22:49Z level=INFO msg="cluster: members" count=3
time=2026-12-07T16:22:58Z level=INFO msg="m4f: pull ended" stream=s1 to=127.0.0.1:5000 bytes=5000000 for=10s why="client: EOF"
time=2026-12-07T16:22:58Z level=INFO msg="m4f: pull ended" stream=s1 to=127.0.0.1:5001 bytes=2500000 for=5.5s why="stream ended"
`
	if err := os.WriteFile(n.logPath, []byte(log), 0o644); err != nil {
		t.Fatal(err)
	}
	got := n.pulls()
	want := []pull{{bytes: 5_000_000, dur: 10 * time.Second}, {bytes: 2_500_000, dur: 5500 * time.Millisecond}}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("pulls %+v, want %+v", got, want)
	}
	if k := got[0].kbits(); k != 4000 {
		t.Errorf("rate %v kbit/s, want 4000", k)
	}
}

// Every node lists the same peers and the key; -mode ingest puts s1 on
// every node pinned to the origin, -mode origin on the origin only.
func TestClusterConfig(t *testing.T) {
	origin := &node{name: "origin", http: "127.0.0.1:1", rtmp: "127.0.0.1:4"}
	edge := &node{name: "edge1", http: "127.0.0.1:2"}
	all := []*node{origin, edge}
	ingest := clusterConfig(options{mode: modeIngest}, edge, origin, "k", all)
	wants := []string{"http 127.0.0.1:2;", "cluster_key k;", "peer 127.0.0.1:1;", "peer 127.0.0.1:2;", "cluster_ingest capture_at=127.0.0.1:1;"}
	for _, want := range wants {
		if !strings.Contains(ingest, want) {
			t.Errorf("edge's config lacks %q:\n%s", want, ingest)
		}
	}
	if strings.Contains(ingest, "rtmp") {
		t.Errorf("an edge listens for RTMP:\n%s", ingest)
	}
	if c := clusterConfig(options{mode: modeOrigin}, edge, origin, "k", all); strings.Contains(c, "stream") {
		t.Errorf("-mode origin configures s1 on an edge:\n%s", c)
	}
	if c := clusterConfig(options{mode: modeOrigin}, origin, origin, "k", all); !strings.Contains(c, "stream s1 { input publish://; }") ||
		!strings.Contains(c, "rtmp 127.0.0.1:4;") {
		t.Errorf("-mode origin: the origin's config:\n%s", c)
	}
}
