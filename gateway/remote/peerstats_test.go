package remote_test

import (
	"testing"

	"streamhive/actors/cluster"
	"streamhive/gateway/remote"
)

// TestPeerStats: a peer line's stats are its member's load; a line that
// names no member says so.
func TestPeerStats(t *testing.T) {
	v := threeNodes()
	v.members = append([]cluster.Member(nil), v.members...)
	v.members[1].Load = cluster.Load{CPU: 0.426, Clients: 7, Streams: 3, OutputKbit: 9000}
	st := remote.PeerStats(v)
	if got := st("b:80"); got.ID != "b" || got.CPUUsage != 43 || got.TotalClients != 7 || got.TotalStreams != 3 ||
		got.OutputKbit != 9000 || got.Error != "" {
		t.Errorf("b:80: %+v", got)
	}
	if got := st("gone:80"); got.Error == "" || got.Hostname != "gone:80" {
		t.Errorf("gone:80: %+v", got)
	}
}
