package remote

import (
	"cmp"
	"slices"
	"sync/atomic"

	"streamhive/actors/cluster"
	"streamhive/actors/config"
	"streamhive/gateway/api"
	"streamhive/gateway/live"
)

// Cluster is what the locators read of the cluster: who runs what
// (View, a snapshot) and how to act on a stream another member runs.
type Cluster struct {
	View   cluster.View
	Remote cluster.Remote
}

// Locator is the Control API's live.Locator on a cluster node. A stream
// another member captures (a cluster_ingest stream this node relays), or
// one this node does not configure but a member runs, is a *Stream on
// that member (Location.Node is its Name); every other stream is Local's
// answer, as on a single node.
type Locator struct {
	Local  live.Locator
	Config func() *config.Server // this node's configuration in effect
	Cluster
	names atomic.Pointer[names]
	stats *statsCache
}

// NewLocator returns the API's locator over local (local.Server).
func NewLocator(local live.Locator, cfg func() *config.Server, c Cluster) *Locator {
	return &Locator{Local: local, Config: cfg, Cluster: c, stats: newStatsCache()}
}

// Locate implements live.Locator.
func (l *Locator) Locate(name string) (live.Location, bool) {
	if m, ok := l.owner(name); ok {
		return live.Location{Node: live.Node(m.Name), Stream: &Stream{owner: m, name: name, remote: l.Remote, cache: l.stats}}, true
	}
	return l.Local.Locate(name)
}

// owner returns the member other than this node that runs name, if
// name runs elsewhere: the member that captures it (placement's claim),
// or, for a stream this node's configuration lacks, the least loaded
// member that runs it. A stream configured here that no other member
// captures runs here, and so does one this node offers (Self().Streams).
func (l *Locator) owner(name string) (cluster.Member, bool) {
	if l.View == nil {
		return cluster.Member{}, false
	}
	self := l.View.Self()
	if has(self.Captures, name) || has(self.Streams, name) {
		return cluster.Member{}, false
	}
	members := l.View.Members()
	for _, m := range members {
		if m.ID != self.ID && has(m.Captures, name) {
			return m, true
		}
	}
	if l.configured(name) {
		return cluster.Member{}, false
	}
	return LeastLoaded(Holders(members, self.ID, name))
}

// configured reports whether this node's configuration has stream name,
// from an index made once per configuration.
func (l *Locator) configured(name string) bool {
	cfg := l.Config()
	ix := l.names.Load()
	if ix == nil || ix.cfg != cfg {
		ix = newNames(cfg)
		l.names.Store(ix)
	}
	_, ok := ix.set[name]
	return ok
}

// names indexes one configuration's stream names.
type names struct {
	cfg *config.Server
	set map[string]struct{}
}

func newNames(cfg *config.Server) *names {
	ix := &names{cfg: cfg, set: make(map[string]struct{})}
	if cfg != nil {
		for i := range cfg.Streams {
			ix.set[cfg.Streams[i].Name] = struct{}{}
		}
	}
	return ix
}

// Holders returns the members other than self that run stream name and
// offer it to others (Member.Streams).
func Holders(members []cluster.Member, self, name string) []cluster.Member {
	var out []cluster.Member
	for _, m := range members {
		if m.ID != self && has(m.Streams, name) {
			out = append(out, m)
		}
	}
	return out
}

// LeastLoaded returns the member whose viewers receive least (output
// bitrate, Flussonic's default balancing mode), then the fewest clients,
// then the lowest ID; false for none.
func LeastLoaded(ms []cluster.Member) (cluster.Member, bool) {
	if len(ms) == 0 {
		return cluster.Member{}, false
	}
	return slices.MinFunc(ms, compareLoad), true
}

func compareLoad(a, b cluster.Member) int {
	return cmp.Or(
		cmp.Compare(a.Load.OutputKbit, b.Load.OutputKbit),
		cmp.Compare(a.Load.Clients, b.Load.Clients),
		cmp.Compare(a.ID, b.ID),
	)
}

// has reports whether sorted list holds name.
func has(sorted []string, name string) bool {
	_, ok := slices.BinarySearch(sorted, name)
	return ok
}

// Control is an api.Control whose Locate is a cluster-aware Locator.
type Control struct {
	api.Control
	Loc *Locator
}

// Locate implements live.Locator.
func (c Control) Locate(name string) (live.Location, bool) { return c.Loc.Locate(name) }
