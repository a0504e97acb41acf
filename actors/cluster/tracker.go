package cluster

import (
	"slices"
	"strings"
	"time"
)

// maxMisses is how many probes in a row a peer may miss before it is
// dropped: removal is final in protoactor (a removed ID is blocked), so
// one lost answer must not cost a member. With fetch_timeout's default
// of 1 s a dead peer is gone within 3 s.
const maxMisses = 3

// tracker holds what the probes learnt of each peer line: pure state, no
// I/O, driven by the provider's rounds (and by tests with made-up answers).
// Not safe for concurrent use.
type tracker struct {
	selfID string
	peers  map[string]*peerState // by the peer line's name
}

type peerState struct {
	info   NodeInfo // zero until the first answer
	seen   time.Time
	misses int
	alive  bool
}

func newTracker(selfID string, names []string) *tracker {
	t := &tracker{selfID: selfID, peers: map[string]*peerState{}}
	for _, n := range names {
		t.peers[n] = &peerState{}
	}
	return t
}

// answer records name's answer to a probe at now.
func (t *tracker) answer(name string, info NodeInfo, now time.Time) {
	p := t.peers[name]
	if p == nil {
		return
	}
	*p = peerState{info: info, seen: now, alive: true}
}

// miss records a probe of name that got no valid answer; it reports
// whether the peer was dropped by it.
func (t *tracker) miss(name string) bool {
	p := t.peers[name]
	if p == nil || !p.alive {
		return false
	}
	p.misses++
	if p.misses < maxMisses {
		return false
	}
	p.alive = false
	return true
}

// selfName is the peer line whose probe answered with this node's ID
// ("" when none did).
func (t *tracker) selfName() string {
	for _, n := range t.names() {
		if p := t.peers[n]; p.alive && p.info.ID == t.selfID {
			return n
		}
	}
	return ""
}

// members are the alive peers (not this node), sorted by ID; of two peer
// lines that reach the same node, the first name wins.
func (t *tracker) members() []Member {
	var out []Member
	seen := map[string]bool{t.selfID: true}
	for _, n := range t.names() {
		p := t.peers[n]
		if !p.alive || seen[p.info.ID] {
			continue
		}
		seen[p.info.ID] = true
		i := p.info
		out = append(out, Member{
			ID: i.ID, Name: n, API: i.API, Address: i.Address,
			Captures: i.Captures, Streams: i.Streams, Load: i.Load, Seen: p.seen,
			Started: startedAt(i.StartedAt), Uptime: time.Duration(i.Uptime) * time.Second,
		})
	}
	slices.SortFunc(out, func(a, b Member) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// startedAt is a probe answer's started_at; zero when it has none.
func startedAt(unix int64) time.Time {
	if unix <= 0 {
		return time.Time{}
	}
	return time.Unix(unix, 0)
}

func (t *tracker) names() []string {
	names := make([]string, 0, len(t.peers))
	for n := range t.peers {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// setNames makes names the peer lines: kept ones keep their state.
func (t *tracker) setNames(names []string) {
	next := make(map[string]*peerState, len(names))
	for _, n := range names {
		if p := t.peers[n]; p != nil {
			next[n] = p
		} else {
			next[n] = &peerState{}
		}
	}
	t.peers = next
}

// allSettled reports whether every peer line has answered, and every
// other node among them as one whose membership has settled: its claims
// are then final. A node that answers unsettled may not see this one yet
// and capture alone; placing beside it would capture twice.
func (t *tracker) allSettled() bool {
	for _, p := range t.peers {
		if p.info.ID == "" || (!p.info.Settled && p.info.ID != t.selfID) {
			return false
		}
	}
	return true
}
