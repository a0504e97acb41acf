package remote_test

import (
	"testing"
	"time"

	"streamhive/actors/cluster"
	"streamhive/gateway/remote"
)

// TestPeerStats: a peer line's stats are its member's load; a line that
// names no member says so.
func TestPeerStats(t *testing.T) {
	v := threeNodes()
	v.members = append([]cluster.Member(nil), v.members...)
	v.members[1].Load = cluster.Load{CPU: 0.426, Clients: 7, Streams: 3, OutputKbit: 9000}
	// b answered 10 s ago, up 3600 s then: up 3610 s now, whatever its clock.
	started := time.Unix(1_700_000_000, 0)
	v.members[1].Started, v.members[1].Uptime, v.members[1].Seen = started, time.Hour, time.Now().Add(-10*time.Second)
	st := remote.PeerStats(v)
	if got := st("b:80"); got.ID != "b" || got.CPUUsage != 43 || got.TotalClients != 7 || got.TotalStreams != 3 ||
		got.OutputKbit != 9000 || got.Error != "" || got.StartedAt != started.Unix() || got.Uptime == nil || *got.Uptime != 3610 {
		t.Errorf("b:80: %+v", got)
	}
	if got := st("a:80"); got.Uptime != nil || got.StartedAt != 0 {
		t.Errorf("a:80 said no start time: %+v", got)
	}
	if got := st("gone:80"); got.Error == "" || got.Hostname != "gone:80" {
		t.Errorf("gone:80: %+v", got)
	}
}
