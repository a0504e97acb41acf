package api

import (
	"encoding/json"

	"streamhive/actors/config"
)

// A stream's push targets report their runtime state as pushes[i].stats
// (stream_push.stats, push_stats), inside the config item, not under the
// stream's stats. The stream's live stats carry them (StreamStats.Pushes,
// parallel to the pushes it runs); these helpers put them in place.

// pushesWithStats returns the stream's pushes with each one's live stats,
// or false when x is not a stream with pushes and matching stats (a
// configuration newer than the running stream shows no push stats until
// the stream has taken it).
func pushesWithStats(x *cand) ([]config.Push, bool) {
	st, ok := x.e.item.(*config.Stream)
	if !ok || x.stats == nil || len(st.Pushes) == 0 || len(x.stats.Pushes) != len(st.Pushes) {
		return nil, false
	}
	out := make([]config.Push, len(st.Pushes))
	for i, p := range st.Pushes {
		p.Stats = x.stats.Pushes[i]
		out[i] = p
	}
	return out, true
}

// itemJSON returns the item's JSON without the stream's stats: the cached
// JSON, or, for a stream whose pushes have live stats, a fresh one with
// them.
func itemJSON(x *cand) ([]byte, error) {
	pushes, ok := pushesWithStats(x)
	if !ok {
		return x.e.json()
	}
	cp := *x.e.item.(*config.Stream)
	cp.Stats, cp.Pushes = nil, pushes
	return json.Marshal(&cp)
}
