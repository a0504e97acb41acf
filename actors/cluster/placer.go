package cluster

import (
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"streamhive/actors/config"
)

// SettledView is the View the Placer needs: one that also says whether
// membership has settled since this node started.
type SettledView interface {
	View
	// Settled reports whether this node's membership has settled: every
	// peer answered as settled itself, or maxMisses probe rounds have
	// passed (peers that never answered are down). Until then its view may
	// lack members that are alive and capture streams: a node that placed
	// on it would capture what another holds, and after a cluster-wide
	// start every node would. Never false again once true.
	Settled() bool
}

// DefaultPlaceInterval is how often the Placer looks at the view: a lost
// owner's streams are captured here within one interval of the view
// dropping it.
const DefaultPlaceInterval = 250 * time.Millisecond

// PlacerConfig configures a Placer.
type PlacerConfig struct {
	// View is the cluster as this node sees it. Required.
	View SettledView
	// Current returns the configuration in effect. Required.
	Current func() *config.Server
	// Resync is called, from the Placer's goroutine, with the names of
	// the streams whose owner changed: the streams supervisor syncs them
	// again (their Place result changed). Required.
	Resync func(names []string)
	// Watch, when set, is called from the Placer's goroutine after each
	// placement with the alive members: the server re-points its relays
	// of other nodes' streams whose owner is gone.
	Watch func(members []Member)
	// Interval is how often the view is read; DefaultPlaceInterval when
	// zero.
	Interval time.Duration
}

// Placer decides which node captures each cluster_ingest stream configured
// here, from the View, and keeps the decisions for Place (the streams
// supervisor's seam) and Captures (this node's claims, which its probe
// answers carry to the other nodes). It polls the view on a goroutine of
// its own; its reads are lock-free.
type Placer struct {
	cfg  PlacerConfig
	snap atomic.Pointer[placement]

	// The goroutine's own state: the configuration last listed and its
	// cluster_ingest streams.
	seen *config.Server
	list []ingest

	started  atomic.Bool
	stopOnce sync.Once
	stop     chan struct{}
	done     chan struct{}
}

// placement is one published set of decisions.
type placement struct {
	// owners are the cluster_ingest streams configured here, by name: the
	// member that captures each, or the zero Member while none does.
	owners map[string]Member
	// captures are the streams this node captures, sorted.
	captures []string
	// settled: the decisions were made on a settled view; ingests are
	// the streams they were made for.
	settled bool
	ingests []ingest
}

// ingest is one cluster_ingest stream of the configuration.
type ingest struct{ name, captureAt string }

// NewPlacer returns a Placer; Start runs it.
func NewPlacer(cfg PlacerConfig) *Placer {
	if cfg.Interval <= 0 {
		cfg.Interval = DefaultPlaceInterval
	}
	p := &Placer{cfg: cfg, stop: make(chan struct{}), done: make(chan struct{})}
	p.snap.Store(&placement{owners: map[string]Member{}})
	return p
}

// Start places once and then polls the view until Stop.
func (p *Placer) Start() {
	p.started.Store(true)
	p.step()
	go p.run()
}

// Stop ends the polling and waits for it.
func (p *Placer) Stop() {
	p.stopOnce.Do(func() { close(p.stop) })
	if p.started.Load() {
		<-p.done
	}
}

func (p *Placer) run() {
	defer close(p.done)
	tick := time.NewTicker(p.cfg.Interval)
	defer tick.Stop()
	for {
		select {
		case <-p.stop:
			return
		case <-tick.C:
			p.step()
		}
	}
}

// Holder returns the member that runs stream name for others (its
// Captures or Streams list it), other than this node: the highest score
// among them, so every node picks the same one; false when none does.
func Holder(name string, members []Member) (Member, bool) {
	return best(name, members, func(m *Member) bool {
		return !m.Self && (claims(m, name) || slices.Contains(m.Streams, name))
	})
}

// Captures returns the cluster_ingest streams this node captures now,
// sorted: what its probe answers claim. Between the moment membership
// settles and the next placement it returns what that placement will
// capture, so that no probe answer of a settled node claims less than
// the node is about to take (a peer starting then would take it too).
// The slice is shared: read only.
func (p *Placer) Captures() []string {
	snap := p.snap.Load()
	if snap.settled || !p.cfg.View.Settled() {
		return snap.captures
	}
	var out []string
	members := p.members(snap)
	for _, s := range snap.ingests {
		if owner, _ := ownerNow(s.name, s.captureAt, members, true); owner.Self {
			out = append(out, s.name)
		}
	}
	slices.Sort(out)
	return out
}

// Owner returns the member that captures cluster_ingest stream name, as
// last placed (this node's own Member when it captures it); false for a
// stream that is no cluster_ingest stream configured here, or that no
// member captures now. The gateway sends a relayed stream's API calls
// there.
func (p *Placer) Owner(name string) (Member, bool) {
	m, ok := p.snap.Load().owners[name]
	return m, ok && m.ID != ""
}

// Place returns cfg as this node runs it: unchanged when it is no
// cluster_ingest stream or this node captures it, the owner's relay
// (RelayConfig) when another node does, and HeldConfig while none does.
// A stream the Placer has not listed yet is placed from the view now.
func (p *Placer) Place(cfg config.Stream) config.Stream {
	if cfg.ClusterIngest == nil {
		return cfg
	}
	snap := p.snap.Load()
	owner, listed := snap.owners[cfg.Name]
	if !listed {
		owner, _ = ownerNow(cfg.Name, cfg.ClusterIngest.CaptureAt, p.members(snap), p.cfg.View.Settled())
	}
	switch {
	case owner.ID == "":
		return HeldConfig(cfg)
	case owner.Self:
		return cfg
	}
	return RelayConfig(cfg, owner)
}

// step places every cluster_ingest stream on the current view, publishes
// the decisions and re-syncs the streams whose owner changed.
func (p *Placer) step() {
	prev := p.snap.Load()
	members, settled := p.members(prev), p.cfg.View.Settled()
	next := &placement{owners: make(map[string]Member, len(p.list)), settled: settled, ingests: p.ingests()}
	var changed []string
	for _, s := range next.ingests {
		owner, _ := ownerNow(s.name, s.captureAt, members, settled)
		next.owners[s.name] = owner
		if owner.Self {
			next.captures = append(next.captures, s.name)
		}
		if was, ok := prev.owners[s.name]; !ok || was.ID != owner.ID || was.API != owner.API {
			changed = append(changed, s.name)
		}
	}
	slices.Sort(next.captures)
	p.snap.Store(next)
	if len(changed) > 0 {
		p.cfg.Resync(changed)
	}
	if p.cfg.Watch != nil {
		p.cfg.Watch(members)
	}
}

// members are the alive members with this node's claims as the Placer
// holds them (the view's copy of them may lag).
func (p *Placer) members(snap *placement) []Member {
	ms := slices.Clone(p.cfg.View.Members())
	for i := range ms {
		if ms[i].Self {
			ms[i].Captures = snap.captures
		}
	}
	return ms
}

// ownerNow is Owner, except that before membership settles only another
// member's claim places a stream: this node captures nothing yet.
func ownerNow(name, captureAt string, members []Member, settled bool) (Member, bool) {
	if !settled {
		return best(name, members, func(m *Member) bool { return !m.Self && claims(m, name) })
	}
	return Owner(name, captureAt, members)
}
