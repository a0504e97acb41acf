package server

import (
	"fmt"
	"net"
	"strconv"

	"streamhive/actors/cluster"
	"streamhive/actors/config"
)

// Cluster is this node's part of the cluster: its View, its Remote, the
// probe answer; nil when the configuration has no `peer` lines.
func (s *Server) Cluster() *cluster.Node { return s.cluster }

// startCluster joins the cluster the configuration's peer lines describe:
// the remote port listens on the HTTP listener's host (127.0.0.1 when
// that is unspecified or unknown) at a free port, which the probe answer
// advertises.
func (s *Server) startCluster(cfg *config.Server, opts Options) error {
	s.load = func() cluster.Load {
		l := cluster.Load{Clients: s.sessions.Total(), Streams: s.dir.Load().Len()}
		if opts.Host != nil {
			l.CPU, l.OutputKbit = opts.Host()
		}
		return l
	}
	s.startSources(cfg, opts) // sources.go
	if len(cfg.Peers) == 0 && len(cfg.ClusterEtcd) == 0 {
		return nil
	}
	host, name := "127.0.0.1", ""
	if a, ok := opts.HTTPAddr.(*net.TCPAddr); ok {
		if !a.IP.IsUnspecified() {
			host = a.IP.String()
		}
		name = net.JoinHostPort(host, strconv.Itoa(a.Port))
	}
	api, scheme := "", "http"
	if cfg.ClusterTLS() {
		scheme = "https"
	}
	if name != "" {
		api = scheme + "://" + name
	}
	peers, every := cluster.PeersOf(cfg)
	cc := cluster.Config{
		Key: cfg.ClusterKey, Peers: peers, Every: every, Etcd: cfg.ClusterEtcd, Name: name, API: api, Host: host,
		Local: s, Streams: s.offered, Captures: s.Captures, Logger: opts.Logger,
		Load: s.load, Started: s.started,
	}
	if cfg.ClusterTLS() {
		// Validate saw the https listener; its certificate is the node's.
		t, err := certBook(opts).Cluster(cfg.Listeners.HTTPS[0])
		if err != nil {
			return fmt.Errorf("server: cluster over TLS: %w", err)
		}
		cc.ServerTLS, cc.ClientTLS = t.Server, t.Client
	}
	n, err := cluster.Start(s.sys, cc)
	if err != nil {
		return err
	}
	s.cluster = n
	if s.view != nil {
		s.view.node.Store(n)
	}
	return nil
}

// placementView is what places cluster_ingest streams: opts.Cluster, or
// the node's own cluster once it runs; nil without a cluster.
func (s *Server) placementView(cfg *config.Server, opts Options) cluster.SettledView {
	if opts.Cluster != nil {
		return opts.Cluster
	}
	if len(cfg.Peers) == 0 && len(cfg.ClusterEtcd) == 0 {
		return nil
	}
	s.view = &nodeView{}
	return s.view
}

// syncCluster follows a reload: the cluster takes the new peer lines. A
// cluster_key change, or peers where there were none, takes a restart.
func (s *Server) syncCluster() {
	if s.cluster == nil {
		return
	}
	peers, _ := cluster.PeersOf(s.snapshot.Load())
	s.cluster.SetPeers(peers)
}
