package api

import (
	"streamhive/actors/config"
	"streamhive/media/stats"
)

// PushStats is push_stats. Errors (failed connections) and Reconnects
// (connections made after a failure) are ours; Retries is the spec's
// failures since the last connection that sent media.
type PushStats struct {
	ID         string `json:"id,omitempty"`
	OpenedAt   int64  `json:"opened_at,omitempty"` // utc_ms
	Status     string `json:"status,omitempty"`    // starting, running, retry, error
	Bytes      int64  `json:"bytes,omitempty"`
	Errors     int64  `json:"errors,omitempty"`
	Reconnects int64  `json:"reconnects,omitempty"`
	Retries    int64  `json:"retries,omitempty"`
	LastError  string `json:"last_error,omitempty"`
}

// PushItem is stream_push as the API answers it: the configured push
// with its read-only stats.
type PushItem struct {
	config.Push
	Stats *PushStats `json:"stats,omitempty"`
}

// pushStatsOf maps the reports of a stream's pushes, keeping nils (a
// disabled push); nil without pushes.
func pushStatsOf(ps []*stats.Push) []*PushStats {
	if len(ps) == 0 {
		return nil
	}
	out := make([]*PushStats, len(ps))
	for i, p := range ps {
		if p == nil {
			continue
		}
		out[i] = &PushStats{
			ID: p.ID, Status: p.State, Bytes: p.Bytes, Errors: p.Errors,
			Reconnects: p.Reconnects, Retries: p.Retries, LastError: p.LastError,
		}
		if !p.Opened.IsZero() {
			out[i].OpenedAt = p.Opened.UnixMilli()
		}
	}
	return out
}
