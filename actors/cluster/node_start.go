package cluster

import (
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/cluster"
	"github.com/asynkron/protoactor-go/cluster/identitylookup/disthash"
	"github.com/asynkron/protoactor-go/remote"

	"streamhive/actors/config"
)

// Config is what a node's cluster runs on.
type Config struct {
	// Key is the cluster_key; Start refuses an empty one.
	Key string
	// Peers are the `peer` lines; Every is how often each is probed (their
	// fetch_timeout; 0: 1 s).
	Peers []Peer
	Every time.Duration
	// Etcd, when set, are the etcd endpoints membership comes from instead
	// of Peers: members announce their API URL there and are probed on it.
	Etcd []string
	// Name is what this node is called when no peer line reaches it, and
	// API its HTTP base URL ("http://127.0.0.1:8080"): both from the HTTP
	// listener.
	Name, API string
	// Host and Port are where the remote (gRPC) port listens; Port 0 takes
	// a free one, which the probe answer advertises.
	Host string
	Port int
	// Local answers other nodes' calls on this node's streams.
	Local Local
	// Captures, Streams and Load fill this node's probe answer; nil: none.
	Captures, Streams func() []string
	Load              func() Load
	Logger            *slog.Logger
	// Started is when this node's server started (its probe answer's
	// started_at and uptime); zero: when Start ran.
	Started time.Time
	// ServerTLS and ClientTLS, both set, run the cluster over TLS: the
	// remote port serves ServerTLS, and every connection to another node
	// (remote port, probe) verifies it with ClientTLS (actors/certs'
	// ClusterTLS). Nil: plain connections, the key proved on each call.
	ServerTLS, ClientTLS *tls.Config
}

// Node is this node's part of the cluster: its membership, its cluster
// actor and its calls on other nodes.
type Node struct {
	cfg     Config
	system  *actor.ActorSystem
	cluster *cluster.Cluster
	prov    *provider
	view    *view

	unfollow func()                  // with etcd: stops following its topology
	etcd     cluster.ClusterProvider // with etcd: its provider, to leave it at once
}

// Start joins system to the cluster: it opens the remote port, spawns the
// cluster actor and runs the first probe round before it returns.
func Start(system *actor.ActorSystem, cfg Config) (n *Node, err error) {
	if cfg.Key == "" {
		return nil, errors.New("cluster: no cluster_key")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Started.IsZero() {
		cfg.Started = time.Now()
	}
	n = &Node{cfg: cfg, system: system, view: newView(Member{ID: system.ID, Name: cfg.Name, API: cfg.API})}
	tr := newTransport(cfg, system.Address, cfg.Logger) // tls.go
	n.prov = newProvider(httpProbe(tr.client, cfg.Key), cfg.Every, cfg.Logger, cfg.Peers)
	n.prov.self, n.prov.view = n.selfMember, n.view
	rc := remote.Configure(cfg.Host, cfg.Port, remote.WithServerOptions(tr.server...), remote.WithDialOptions(tr.dial...))
	var members cluster.ClusterProvider = n.prov
	var opts []cluster.ConfigOption
	if len(cfg.Etcd) > 0 {
		if members, err = etcdProvider(cfg.Etcd); err != nil {
			return nil, fmt.Errorf("cluster: etcd: %w", err)
		}
		n.etcd = members
		opts = append(opts, cluster.WithKinds(apiKind(cfg.API)))
		n.prov.prepare()
		n.unfollow = followTopology(system, n.prov)
	}
	n.cluster = cluster.New(system, cluster.Configure("streamhive", members, disthash.New(), rc, opts...))
	defer func() {
		// protoactor panics when its port does not open, or etcd fails.
		if r := recover(); r != nil {
			err = fmt.Errorf("cluster: %v", r)
		}
	}()
	n.cluster.StartMember()
	if len(cfg.Etcd) > 0 {
		n.prov.start() // the probes, without a say in the member list
	}
	props := actor.PropsFromProducer(func() actor.Actor {
		return &clusterActor{local: cfg.Local, info: n.Info, name: func() string { return n.view.Self().Name }}
	})
	if _, err := system.Root.SpawnNamed(props, ActorName); err != nil {
		n.Stop()
		return nil, fmt.Errorf("cluster: %w", err)
	}
	cfg.Logger.Info("cluster: member started", "id", system.ID, "address", system.Address(), "peers", len(cfg.Peers))
	return n, nil
}

// View is the cluster as this node sees it.
func (n *Node) View() SettledView { return n.view }

// Remote makes calls on other nodes' streams.
func (n *Node) Remote() Remote { return remoteCalls{root: n.system.Root} }

// CheckProof reports whether a KeyHeader value proves this node's key.
func (n *Node) CheckProof(proof string) bool { return CheckKeyProof(n.cfg.Key, proof, time.Now()) }

// SetPeers replaces the peer lines (a reload).
func (n *Node) SetPeers(peers []Peer) { n.prov.SetPeers(peers) }

// Info is this node's probe answer.
func (n *Node) Info() NodeInfo {
	settled := n.view.Settled() // before the claims: they are final once it is true
	m := n.selfMember()
	return NodeInfo{
		ID: m.ID, Address: m.Address, API: m.API, Captures: m.Captures, Streams: m.Streams, Load: m.Load,
		Settled: settled, StartedAt: n.cfg.Started.Unix(), Uptime: int64(m.Uptime / time.Second),
	}
}

// Stop leaves the cluster: probes stop, the remote port closes. The actor
// system is shut down with it (protoactor's cluster does that), so the
// server stops the cluster last.
func (n *Node) Stop() {
	if n.unfollow != nil {
		n.unfollow()
	}
	_ = n.prov.Shutdown(false)
	if n.etcd != nil {
		_ = n.etcd.Shutdown(true) // deregisters now, not when the lease expires
	}
	n.cluster.Shutdown(false)
}

func (n *Node) selfMember() Member {
	call := func(f func() []string) []string {
		if f == nil {
			return nil
		}
		return f()
	}
	now := time.Now()
	var load Load
	if n.cfg.Load != nil {
		load = n.cfg.Load()
	}
	return Member{
		ID: n.system.ID, Name: n.cfg.Name, API: n.cfg.API, Address: n.system.Address(),
		Captures: call(n.cfg.Captures), Streams: call(n.cfg.Streams), Load: load, Seen: now,
		Started: n.cfg.Started, Uptime: now.Sub(n.cfg.Started),
	}
}

// PeersOf maps the configuration's `peer` lines to what the prober needs
// (a line's api_url, else http://HOST[:PORT]) and the probe period (the
// shortest fetch_timeout; 0 for the default).
func PeersOf(c *config.Server) ([]Peer, time.Duration) {
	out := make([]Peer, 0, len(c.Peers))
	var every time.Duration
	for _, l := range c.Peers {
		u := l.APIURL
		if u == "" {
			u = "http://" + l.Hostname
		}
		out = append(out, Peer{Name: l.Hostname, URL: u, Payload: l.PrivatePayloadURL})
		if d := time.Duration(l.FetchTimeout) * time.Millisecond; d > 0 && (every == 0 || d < every) {
			every = d
		}
	}
	return out, every
}
