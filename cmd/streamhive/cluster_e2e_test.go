//go:build e2e

package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"streamhive/actors/cluster"
	"streamhive/media/mediatest"
)

// Three processes on loopback with static peer lines form one cluster:
// each logs three members and answers the probe with the key; a fourth
// with another key cannot join, and its log and the others' say so.
func TestClusterOfThreeProcesses(t *testing.T) {
	ports := []int{freePort(t), freePort(t), freePort(t)}
	var peers strings.Builder
	for _, p := range ports {
		fmt.Fprintf(&peers, "peer 127.0.0.1:%d;\n", p)
	}
	var dirs []string
	startNode := func(port int, key string) *proc {
		dirs = append(dirs, t.TempDir())
		cfg := writeConfig(t, dirs[len(dirs)-1], port, "cluster_key "+key+";\n"+peers.String())
		return start(t, port, "-config", cfg)
	}
	var nodes []*proc
	for _, p := range ports {
		nodes = append(nodes, startNode(p, "sharedkey"))
	}
	for i, n := range nodes {
		mediatest.WaitFor(t, 15*time.Second, fmt.Sprintf("node %d sees three members", i), func() bool {
			return strings.Contains(n.log.String(), `msg="cluster: members" count=3`)
		})
	}
	// The probe endpoint answers a proof of the key, and nothing else.
	req, _ := http.NewRequest(http.MethodGet, nodes[1].base+cluster.NodePath, nil)
	req.Header.Set(cluster.KeyHeader, cluster.KeyProof("sharedkey", time.Now()))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	info, err := cluster.ReadNodeInfo(resp.Body)
	_ = resp.Body.Close()
	if err != nil || info.API != nodes[1].base || !info.Settled || info.StartedAt == 0 {
		t.Fatalf("probe answer %+v %v", info, err)
	}
	checkPeerUptimes(t, nodes[0], len(ports))
	if code, _ := nodes[1].do(http.MethodGet, cluster.NodePath, "", ""); code != http.StatusForbidden {
		t.Errorf("a probe without the key: %d", code)
	}

	// A reload that drops a peer line: node 0 keeps running with two members.
	writeConfig(t, dirs[0], ports[0], fmt.Sprintf("cluster_key sharedkey;\npeer 127.0.0.1:%d;\npeer 127.0.0.1:%d;\n", ports[0], ports[1]))
	before := len(nodes[0].log.String())
	if err := nodes[0].cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	mediatest.WaitFor(t, 10*time.Second, "node 0 follows the reload", func() bool {
		return strings.Contains(nodes[0].log.String()[before:], `msg="cluster: members" count=2`)
	})

	bad := startNode(freePort(t), "wrongkey")
	mediatest.WaitFor(t, 10*time.Second, "the wrong-key node logs the refusal", func() bool {
		return strings.Contains(bad.log.String(), "refused our cluster_key")
	})
	mediatest.WaitFor(t, 10*time.Second, "the others log the wrong-key node's probes", func() bool {
		return strings.Contains(nodes[0].log.String(), "refused an inter-node request without our cluster_key")
	})
	if strings.Contains(bad.log.String(), `members" count=2`) || strings.Contains(nodes[0].log.String(), `members" count=4`) {
		t.Error("the wrong-key node joined")
	}
	for _, n := range append(nodes, bad) {
		if s := n.log.String(); strings.Contains(s, "sharedkey") || strings.Contains(s, "wrongkey") {
			t.Errorf("a log holds the key:\n%s", s)
		}
	}
}

// The same three nodes with their membership on etcd (the etcd-server
// binary, started here on free ports with a temporary data directory).
func TestClusterOfThreeProcessesOnEtcd(t *testing.T) {
	bin, err := exec.LookPath("etcd")
	if err != nil {
		t.Skip("no etcd binary (Debian's etcd-server): the etcd cluster test needs it")
	}
	client, peerPort := freePort(t), freePort(t)
	endpoint := fmt.Sprintf("http://127.0.0.1:%d", client)
	etcd := exec.Command(bin, "--data-dir", t.TempDir(), "--name", "test",
		"--listen-client-urls", endpoint, "--advertise-client-urls", endpoint,
		"--listen-peer-urls", fmt.Sprintf("http://127.0.0.1:%d", peerPort),
		"--initial-advertise-peer-urls", fmt.Sprintf("http://127.0.0.1:%d", peerPort),
		"--initial-cluster", fmt.Sprintf("test=http://127.0.0.1:%d", peerPort))
	etcdLog := &mediatest.LogBuffer{}
	etcd.Stdout, etcd.Stderr = etcdLog, etcdLog
	if err := etcd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = etcd.Process.Kill()
		_ = etcd.Wait()
		if t.Failed() {
			t.Logf("etcd log:\n%s", etcdLog.String())
		}
	})
	mediatest.WaitFor(t, 15*time.Second, "etcd answers", func() bool {
		resp, err := http.Get(endpoint + "/health")
		if err != nil {
			return false
		}
		_ = resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
	var nodes []*proc
	for range 3 {
		port := freePort(t)
		cfg := writeConfig(t, t.TempDir(), port, "cluster_key sharedkey;\ncluster_etcd "+endpoint+";\n"+
			"stream ci { input fake://?bitrate=300000; segment_duration 1; cluster_ingest; }\n")
		nodes = append(nodes, start(t, port, "-config", cfg))
	}
	for i, n := range nodes {
		mediatest.WaitFor(t, 20*time.Second, fmt.Sprintf("node %d sees three members", i), func() bool {
			return strings.Contains(n.log.String(), `msg="cluster: members" count=3`)
		})
	}
	// The cluster_ingest stream is captured once, and another node plays it.
	var owner int
	mediatest.WaitFor(t, 10*time.Second, "one node captures ci", func() bool {
		got := captures(t, nodes, "ci")
		if len(got) == 1 {
			owner = got[0]
		}
		return len(got) == 1
	})
	for range 4 {
		time.Sleep(500 * time.Millisecond) // watching placement stay put, not waiting for it
		if got := captures(t, nodes, "ci"); len(got) != 1 || got[0] != owner {
			t.Fatalf("ci captured by %v, want node %d alone", got, owner)
		}
	}
	edge := nodes[(owner+1)%3]
	mediatest.WaitFor(t, 20*time.Second, "ci's HLS on another node", playlistUp(edge, "/ci/index.m3u8"))
}

// checkPeerUptimes: every peer of n's /cluster/peers has stats with the
// uptime and start time its probe answers carried.
func checkPeerUptimes(t *testing.T, n *proc, want int) {
	t.Helper()
	code, body := n.do(http.MethodGet, "/streamer/api/v3/cluster/peers", "", "")
	var out struct {
		Peers []struct {
			Hostname string
			Stats    struct {
				Uptime    *int64 `json:"uptime"`
				StartedAt int64  `json:"started_at"`
			}
		}
	}
	if code != http.StatusOK || json.Unmarshal([]byte(body), &out) != nil || len(out.Peers) != want {
		t.Fatalf("/cluster/peers: %d %s", code, body)
	}
	for _, p := range out.Peers {
		if p.Stats.Uptime == nil || *p.Stats.Uptime < 0 || p.Stats.StartedAt < time.Now().Add(-time.Hour).Unix() {
			t.Errorf("peer %s's stats have no uptime: %s", p.Hostname, body)
		}
	}
}
