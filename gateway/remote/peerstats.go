package remote

import (
	"streamhive/actors/cluster"
	"streamhive/gateway/api"
)

// PeerStats answers /cluster/peers' stats from the cluster's view: the
// member a `peer` line names (this node's own line included) as its last
// probe answer reported it, else an error saying it is not in the
// cluster now. It reads the view's snapshot and never waits.
func PeerStats(view cluster.View) func(hostname string) api.PeerStats {
	return func(hostname string) api.PeerStats {
		for _, m := range view.Members() {
			if m.Name == hostname {
				return api.PeerStats{
					ID: m.ID, Hostname: m.Name, CPUUsage: int(m.Load.CPU*100 + 0.5),
					TotalClients: m.Load.Clients, TotalStreams: m.Load.Streams, OutputKbit: m.Load.OutputKbit,
				}
			}
		}
		return api.PeerStats{Hostname: hostname, Error: "not in the cluster now: no answer to its probes"}
	}
}
