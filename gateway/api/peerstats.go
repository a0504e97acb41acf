package api

import (
	"encoding/json"

	"github.com/valyala/fasthttp"
)

// PeerStats is a peer's peer_stats as this node sees it (the cluster's
// view of the member its line names): what the member's probe answer
// reports. Error says why there are none (the peer does not answer).
type PeerStats struct {
	ID           string `json:"id,omitempty"`
	Hostname     string `json:"hostname,omitempty"`
	CPUUsage     int    `json:"cpu_usage"` // percent
	TotalClients int    `json:"total_clients"`
	TotalStreams int    `json:"total_streams"`
	OutputKbit   int64  `json:"output_kbit"`
	StartedAt    int64  `json:"started_at,omitempty"` // utc seconds
	Uptime       *int64 `json:"uptime,omitempty"`     // seconds; nil: unknown
	Error        string `json:"error,omitempty"`
}

// withPeerStats adds each peer's live stats to the peers answer that rc
// holds (a list when list, else one peer_config): the configuration's
// cached JSON has none, and the answer is small (one item per line).
func (a *API) withPeerStats(rc *fasthttp.RequestCtx, list bool) {
	if a.peerStats == nil || rc.Response.StatusCode() != fasthttp.StatusOK {
		return
	}
	body := rc.Response.Body()
	if !list {
		if out, ok := a.addPeerStats(body); ok {
			rc.Response.SetBody(out)
		}
		return
	}
	var env map[string]json.RawMessage
	var items []json.RawMessage
	if json.Unmarshal(body, &env) != nil || json.Unmarshal(env["peers"], &items) != nil {
		return
	}
	for i, it := range items {
		if out, ok := a.addPeerStats(it); ok {
			items[i] = out
		}
	}
	if b, err := json.Marshal(items); err == nil {
		env["peers"] = b
		if out, err := json.Marshal(env); err == nil {
			rc.Response.SetBody(out)
		}
	}
}

// addPeerStats returns item (one peer_config) with its stats; false when
// it names no hostname (a select= that left it out).
func (a *API) addPeerStats(item []byte) ([]byte, bool) {
	var fields map[string]json.RawMessage
	var host string
	if json.Unmarshal(item, &fields) != nil || json.Unmarshal(fields["hostname"], &host) != nil || host == "" {
		return nil, false
	}
	st, err := json.Marshal(a.peerStats(host))
	if err != nil {
		return nil, false
	}
	fields["stats"] = st
	out, err := json.Marshal(fields)
	return out, err == nil
}
