package api

import (
	"testing"
)

// TestPeerStatsInPeers: with a PeerStats source, each peer of GET
// /cluster/peers and GET /cluster/peers/{hostname} carries stats that
// match peer_stats; a peer that does not answer carries its error.
func TestPeerStatsInPeers(t *testing.T) {
	h := newHarness(t, clusterConfig(t))
	h.api.peerStats = func(host string) PeerStats {
		if host == "c.example" {
			return PeerStats{Hostname: host, Error: "not in the cluster now"}
		}
		up := int64(3610)
		return PeerStats{
			ID: "b", Hostname: host, CPUUsage: 43, TotalClients: 7, TotalStreams: 3, OutputKbit: 9000,
			StartedAt: 1_700_000_000, Uptime: &up,
		}
	}
	statsProps := schemaProps(t, "server_stats_whoami", "server_stats_streamer", "server_stats_network")
	statsProps["error"] = "string"
	peerProps := schemaProps(t, "peer_config")
	r := h.get("cluster/peers")
	mustStatus(t, r, 200)
	list, _ := decodeObject(t, r.body)["peers"].([]any)
	if len(list) != 2 {
		t.Fatalf("peers: %s", r.body)
	}
	for _, x := range list {
		p := x.(map[string]any)
		mustMatchSchema(t, "peer_config", p, peerProps, "hostname")
		st, ok := p["stats"].(map[string]any)
		if !ok {
			t.Fatalf("peer without stats: %v", p)
		}
		mustMatchSchema(t, "peer_stats", st, statsProps)
	}
	if st := list[0].(map[string]any)["stats"].(map[string]any); st["total_clients"] != 7.0 || st["cpu_usage"] != 43.0 ||
		st["uptime"] != 3610.0 || st["started_at"] != 1_700_000_000.0 {
		t.Errorf("b's stats: %v", st)
	}
	if st := list[1].(map[string]any)["stats"].(map[string]any); st["error"] == nil {
		t.Errorf("c's stats: %v, want an error", st)
	}
	r = h.get("cluster/peers/b.example:81")
	mustStatus(t, r, 200)
	p := decodeObject(t, r.body)
	mustMatchSchema(t, "peer_config", p, peerProps, "hostname")
	if st, _ := p["stats"].(map[string]any); st["output_kbit"] != 9000.0 {
		t.Errorf("GET peer: %s", r.body)
	}
	mustError(t, h.get("cluster/peers/nope"), 404, "not_found")
}
