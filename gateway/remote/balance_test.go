package remote_test

import (
	"testing"

	"streamhive/actors/cluster"
	"streamhive/actors/config"
	"streamhive/gateway/remote"
)

// TestBalancer: nothing is redirected without a limit or under it; over
// it, the least loaded holder under the limit gets the viewer, at its
// public_payload_url when its peer line has one.
func TestBalancer(t *testing.T) {
	view := threeNodes()
	peers := func() []config.Peer { return []config.Peer{{Hostname: "c:80", PublicPayloadURL: "c.example.com"}} }
	busy := view
	busy.self.Load = cluster.Load{Clients: 500}
	for _, tc := range []struct {
		what   string
		b      *remote.Balancer
		stream string
		want   string
	}{
		{"no limit", &remote.Balancer{View: busy, Peers: peers}, "shared", ""},
		{"under the limit", &remote.Balancer{View: view, Peers: peers, Limit: remote.Limit{Clients: 100}}, "shared", ""},
		{"over: least loaded", &remote.Balancer{View: busy, Peers: peers, Limit: remote.Limit{Clients: 100}}, "shared", "http://c.example.com"},
		{"over: API URL", &remote.Balancer{View: busy, Limit: remote.Limit{Clients: 100}}, "ingest", "http://b:80"},
		{"over: nobody else has it", &remote.Balancer{View: busy, Limit: remote.Limit{Clients: 100}}, "here", ""},
		{"no view", &remote.Balancer{Limit: remote.Limit{Clients: 1}}, "shared", ""},
	} {
		got, ok := tc.b.Redirect(tc.stream)
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("%s: Redirect(%s) = %q, %v; want %q", tc.what, tc.stream, got, ok, tc.want)
		}
	}
	// A holder over the limit itself is no target.
	full := busy
	full.members = append([]cluster.Member(nil), busy.members...)
	full.members[1].Load.Clients, full.members[2].Load.Clients = 100, 100
	if got, ok := (&remote.Balancer{View: full, Limit: remote.Limit{Clients: 100}}).Redirect("shared"); ok {
		t.Errorf("redirected to a full node: %q", got)
	}
}
