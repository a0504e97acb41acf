//go:build e2e

package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"streamhive/actors/cluster"
	"streamhive/media/mediatest"
)

// ingestCluster is three nodes A, B, C on loopback with static peers and
// one cluster_key, each configured with cluster_ingest stream "ci"
// (captured at A while A lives) and A alone with stream "solo".
type ingestCluster struct {
	t     *testing.T
	ports [3]int
	dirs  [3]string
	confs [3]string
	nodes [3]*proc
}

// startIngestCluster starts the three nodes; streamExtra goes into ci's
// block (a `dvr` line), with %s replaced by the node's own directory.
func startIngestCluster(t *testing.T, streamExtra string) *ingestCluster {
	t.Helper()
	c := &ingestCluster{t: t}
	for i := range c.ports {
		c.ports[i] = freePort(t)
		c.dirs[i] = t.TempDir()
	}
	var peers strings.Builder
	for _, p := range c.ports {
		fmt.Fprintf(&peers, "peer 127.0.0.1:%d;\n", p)
	}
	for i := range c.nodes {
		extra := streamExtra
		if strings.Contains(extra, "%s") {
			extra = fmt.Sprintf(extra, c.dirs[i])
		}
		conf := "cluster_key sharedkey;\n" + peers.String() + fmt.Sprintf(
			"stream ci { input fake://?bitrate=600000; input fake://?bitrate=300000; segment_duration 1; "+
				"cluster_ingest capture_at=127.0.0.1:%d; %s }\n", c.ports[0], extra)
		if i == 0 {
			conf += "stream solo { input fake://?bitrate=300000; segment_duration 1; }\n"
		}
		c.confs[i] = writeConfig(t, c.dirs[i], c.ports[i], conf)
	}
	for i := range c.nodes {
		c.nodes[i] = start(t, c.ports[i], "-config", c.confs[i])
	}
	for i, n := range c.nodes {
		mediatest.WaitFor(t, 15*time.Second, fmt.Sprintf("node %d sees three members", i), func() bool {
			return strings.Contains(n.log.String(), `msg="cluster: members" count=3`)
		})
	}
	return c
}

// nodeInfo is a node's probe answer (GET /streamhive/cluster/node with the key).
func nodeInfo(t *testing.T, p *proc) cluster.NodeInfo {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, p.base+cluster.NodePath, nil)
	req.Header.Set(cluster.KeyHeader, cluster.KeyProof("sharedkey", time.Now()))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return cluster.NodeInfo{}
	}
	defer func() { _ = resp.Body.Close() }()
	info, err := cluster.ReadNodeInfo(resp.Body)
	if err != nil {
		return cluster.NodeInfo{}
	}
	return info
}

// captures returns which of nodes capture stream name now (by index).
func captures(t *testing.T, nodes []*proc, name string) []int {
	t.Helper()
	var out []int
	for i, n := range nodes {
		if n == nil {
			continue
		}
		for _, c := range nodeInfo(t, n).Captures {
			if c == name {
				out = append(out, i)
			}
		}
	}
	return out
}

// streamInputs reads a stream's inputs (url, active) through p's API.
func streamInputs(t *testing.T, p *proc, name string) (alive bool, inputs []map[string]any) {
	t.Helper()
	code, body := p.do("GET", "/streamer/api/v3/streams/"+name, "", "")
	if code != 200 {
		return false, nil
	}
	var st struct {
		Stats struct {
			Alive  bool             `json:"alive"`
			Inputs []map[string]any `json:"inputs"`
		} `json:"stats"`
	}
	if json.Unmarshal([]byte(body), &st) != nil {
		return false, nil
	}
	return st.Stats.Alive, st.Stats.Inputs
}

func playlistUp(p *proc, path string) func() bool {
	return func() bool {
		resp, err := http.Get(p.base + path)
		if err != nil {
			return false
		}
		_ = resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	}
}

// TestClusterIngestServesFromAnyNode: the cluster_ingest stream captured
// at A plays over HLS from C (C's relay pulls it from A over m4f), C's
// API shows A's stats and forwards a select to A, and a stream configured
// on A alone plays from C too.
func TestClusterIngestServesFromAnyNode(t *testing.T) {
	c := startIngestCluster(t, "")
	a, nodeC := c.nodes[0], c.nodes[2]
	mediatest.WaitFor(t, 10*time.Second, "A captures ci, alone", func() bool {
		got := captures(t, c.nodes[:], "ci")
		return len(got) == 1 && got[0] == 0
	})
	mediatest.WaitFor(t, 30*time.Second, "ci's HLS on C", playlistUp(nodeC, "/ci/index.m3u8"))
	if got := probeCodecs(t, nodeC.base+"/ci/index.m3u8"); !strings.Contains(got, "h264") {
		t.Errorf("ffprobe of ci's HLS on C: %q", got)
	}

	// C's API shows the owner's stream: its two inputs, input 0 running,
	// not the relay's one m4f:// input.
	_, inputs := streamInputs(t, nodeC, "ci")
	if len(inputs) != 2 || inputs[0]["active"] != true {
		t.Errorf("C's API shows ci's inputs %v, want A's two", inputs)
	}
	if code, body := nodeC.do("POST", "/streamer/api/v3/streams/ci/inputs/1/select", "", ""); code != http.StatusNoContent {
		t.Fatalf("select through C: %d %s", code, body)
	}
	mediatest.WaitFor(t, 10*time.Second, "A's ci fed by input 1", func() bool {
		_, in := streamInputs(t, a, "ci")
		return len(in) == 2 && in[1]["active"] == true
	})

	// A stream configured on A alone: C opens a relay on demand.
	mediatest.WaitFor(t, 30*time.Second, "solo's HLS on C", playlistUp(nodeC, "/solo/index.m3u8"))
	if got := probeCodecs(t, nodeC.base+"/solo/index.m3u8"); !strings.Contains(got, "h264") {
		t.Errorf("ffprobe of solo's HLS on C: %q", got)
	}
	if got := captures(t, c.nodes[:], "ci"); len(got) != 1 || got[0] != 0 {
		t.Errorf("ci captured by %v, want A alone", got)
	}
}
