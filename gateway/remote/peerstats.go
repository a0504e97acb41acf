package remote

import (
	"time"

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
				st := api.PeerStats{
					ID: m.ID, Hostname: m.Name, CPUUsage: int(m.Load.CPU*100 + 0.5),
					TotalClients: m.Load.Clients, TotalStreams: m.Load.Streams, OutputKbit: m.Load.OutputKbit,
				}
				if !m.Started.IsZero() {
					// The node's own count at its answer, plus the time
					// since: no clock of two machines is compared.
					up := int64((m.Uptime + time.Since(m.Seen)) / time.Second)
					st.StartedAt, st.Uptime = m.Started.Unix(), &up
				}
				return st
			}
		}
		return api.PeerStats{Hostname: hostname, Error: "not in the cluster now: no answer to its probes"}
	}
}
