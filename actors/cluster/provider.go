package cluster

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/asynkron/protoactor-go/cluster"
)

// defaultEvery is how often a peer is probed when its fetch_timeout is
// not set (Flussonic's default too); a probe that takes longer misses.
const defaultEvery = time.Second

// provider is the membership of the `peer` lines: a cluster.ClusterProvider
// that probes each peer's HTTP port every round and tells protoactor's
// member list who answers. Its rounds run on one goroutine; SetPeers may
// be called from any.
type provider struct {
	probe    probeFunc
	every    time.Duration
	log      *slog.Logger
	view     *view
	self     func() Member // this node as it is now, Name not yet set
	topology func([]Member)

	mu      sync.Mutex
	peers   []Peer
	track   *tracker
	refused map[string]bool // peer lines that refused our key, logged once
	lastIDs string          // the alive peers' IDs last logged
	rounds  int             // rounds applied, up to maxMisses

	stop chan struct{}
	done chan struct{}
}

var _ cluster.ClusterProvider = (*provider)(nil)

func newProvider(probe probeFunc, every time.Duration, log *slog.Logger, peers []Peer) *provider {
	if every <= 0 {
		every = defaultEvery
	}
	return &provider{
		probe: probe, every: every, log: log, peers: peers,
		refused: map[string]bool{}, stop: make(chan struct{}), done: make(chan struct{}),
	}
}

// StartMember starts the rounds; the first one runs before it returns,
// so a node that starts beside running peers sees them at once.
func (p *provider) StartMember(c *cluster.Cluster) error {
	p.topology = func(ms []Member) { c.MemberList.UpdateClusterTopology(protoMembers(ms)) }
	p.start()
	return nil
}

func (p *provider) start() {
	if p.track == nil {
		p.prepare()
	}
	// The ticker runs from before the first round: rounds against peers
	// that swallow probes take their timeout each, and the settling
	// rounds stay one period apart.
	t := time.NewTicker(p.every)
	p.round(context.Background())
	go p.loop(t)
}

// prepare sets the tracker up for this node's ID.
func (p *provider) prepare() {
	p.track = newTracker(p.self().ID, peerNames(p.peers))
}

// StartClient: every node is a member.
func (p *provider) StartClient(*cluster.Cluster) error {
	return errors.New("cluster: a StreamHive node is always a member")
}

func (p *provider) Shutdown(bool) error {
	select {
	case <-p.stop:
	default:
		close(p.stop)
		<-p.done
	}
	return nil
}

// SetPeers replaces the peer lines (a reload): a kept line keeps what was
// learnt of it, a removed one's member leaves at the next round.
func (p *provider) SetPeers(peers []Peer) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.peers = peers
	p.track.setNames(peerNames(peers))
}

func (p *provider) loop(t *time.Ticker) {
	defer close(p.done)
	defer t.Stop()
	for {
		select {
		case <-p.stop:
			return
		case <-t.C:
			p.round(context.Background())
		}
	}
}

type probeResult struct {
	info NodeInfo
	err  error
}

// round probes every peer at once and publishes what they answered.
func (p *provider) round(ctx context.Context) {
	p.mu.Lock()
	peers := p.peers
	p.mu.Unlock()
	results := make([]probeResult, len(peers))
	var wg sync.WaitGroup
	for i, peer := range peers {
		wg.Go(func() {
			ctx, cancel := context.WithTimeout(ctx, p.every)
			defer cancel()
			info, err := p.probe(ctx, peer)
			results[i] = probeResult{info, err}
		})
	}
	wg.Wait()
	p.apply(peers, results, time.Now())
}

// apply records a round's answers, logs what changed, and publishes.
func (p *provider) apply(peers []Peer, results []probeResult, now time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for i, r := range results {
		p.record(peers[i].Name, r, now)
	}
	self := p.self()
	if n := p.track.selfName(); n != "" {
		self.Name = n
	}
	members := withPayloads(p.track.members(), peers)
	p.view.publish(self, members)
	p.rounds = min(p.rounds+1, maxMisses)
	if p.rounds >= maxMisses || p.track.allSettled() {
		p.view.settled.Store(true)
	}
	if ids := memberIDs(members); ids != p.lastIDs {
		p.lastIDs = ids
		p.log.Info("cluster: members", "count", len(members)+1, "peers", ids)
	}
	if p.topology != nil {
		self.Self = true
		p.topology(append(members, self))
	}
}

func (p *provider) record(name string, r probeResult, now time.Time) {
	before := p.track.peers[name]
	if before == nil {
		return
	}
	wasAlive, oldID := before.alive, before.info.ID
	if r.err == nil {
		p.refused[name] = false
		p.track.answer(name, r.info, now)
		switch {
		case wasAlive && oldID == r.info.ID:
		case r.info.ID == p.track.selfID:
			p.log.Info("cluster: this node is peer "+name, "id", r.info.ID)
		default:
			p.log.Info("cluster: peer joined", "peer", name, "id", r.info.ID, "address", r.info.Address)
		}
		return
	}
	if errors.Is(r.err, ErrKeyRefused) && !p.refused[name] {
		p.refused[name] = true
		p.log.Error("cluster: peer "+name+" refused our cluster_key", "peer", name)
	}
	if untrusted(r.err) && !p.refused[name] { // tls.go
		p.refused[name] = true
		p.log.Error("cluster: peer "+name+"'s certificate is not trusted", "peer", name, "err", r.err)
	}
	if p.track.miss(name) {
		p.log.Warn("cluster: peer dropped", "peer", name, "id", oldID, "misses", maxMisses, "err", r.err)
	}
}

func peerNames(peers []Peer) []string {
	names := make([]string, len(peers))
	for i, p := range peers {
		names[i] = p.Name
	}
	return names
}

// protoMembers are members as protoactor's member list takes them.
func protoMembers(ms []Member) []*cluster.Member {
	out := make([]*cluster.Member, 0, len(ms))
	for _, m := range ms {
		host, port, err := net.SplitHostPort(m.Address)
		if err != nil {
			continue
		}
		n, err := strconv.Atoi(port)
		if err != nil || n <= 0 || n > 65535 {
			continue
		}
		out = append(out, &cluster.Member{Id: m.ID, Host: host, Port: int32(n), Kinds: []string{}})
	}
	return out
}

func memberIDs(ms []Member) string {
	ids := make([]string, len(ms))
	for i, m := range ms {
		ids[i] = m.ID
	}
	return strings.Join(ids, ",")
}

// withPayloads points each member whose peer line has a
// private_payload_url there: other nodes pull its media from that URL.
func withPayloads(members []Member, peers []Peer) []Member {
	for i, m := range members {
		for _, pl := range peers {
			if pl.Name == m.Name && pl.Payload != "" {
				members[i].API = pl.Payload
			}
		}
	}
	return members
}
