package api

import (
	"bytes"
	"encoding/json"
	"fmt"

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
func pushesWithStats(x *cand) ([]PushItem, bool) {
	st, ok := x.e.item.(*config.Stream)
	if !ok || x.stats == nil || len(st.Pushes) == 0 || len(x.stats.Pushes) != len(st.Pushes) {
		return nil, false
	}
	out := make([]PushItem, len(st.Pushes))
	for i, p := range st.Pushes {
		out[i] = PushItem{Push: p, Stats: x.stats.Pushes[i]}
	}
	return out, true
}

// itemJSON returns the item's JSON without the stream's stats: the cached
// JSON, or, for a stream whose pushes have live stats, the cached JSON
// with its pushes array replaced by one that carries them. The model has
// no place for runtime stats, so the array is swapped in the JSON: the
// cached JSON holds `"pushes":` followed by exactly json.Marshal of the
// configured pushes (a string cannot contain that unescaped), and a
// PushItem marshals as the push with "stats" appended.
func itemJSON(x *cand) ([]byte, error) {
	raw, err := x.e.json()
	if err != nil {
		return nil, err
	}
	pushes, ok := pushesWithStats(x)
	if !ok {
		return raw, nil
	}
	plain, err := json.Marshal(x.e.item.(*config.Stream).Pushes)
	if err != nil {
		return nil, err
	}
	withStats, err := json.Marshal(pushes)
	if err != nil {
		return nil, err
	}
	old := append([]byte(`"pushes":`), plain...)
	at := bytes.Index(raw, old)
	if at < 0 {
		return nil, fmt.Errorf("api: stream %q: its JSON lacks its pushes", x.e.name)
	}
	out := make([]byte, 0, len(raw)+len(withStats)-len(plain))
	out = append(out, raw[:at+len(`"pushes":`)]...)
	out = append(out, withStats...)
	return append(out, raw[at+len(old):]...), nil
}
