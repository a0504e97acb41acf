package main

import (
	"log/slog"
	"net/http"
	"net/url"
	"sync/atomic"

	"github.com/valyala/fasthttp"

	"streamhive/actors/cluster"
	"streamhive/actors/clusterdvr"
	"streamhive/actors/config"
	"streamhive/actors/server"
	"streamhive/gateway/api"
	"streamhive/gateway/live"
	"streamhive/gateway/local"
	"streamhive/gateway/metrics"
	"streamhive/gateway/peer"
	"streamhive/gateway/play"
	"streamhive/gateway/remote"
)

// peerEndpoints serves the inter-node endpoints: the probe answer (a
// member's in a cluster, else a standalone node's for the `source` lines
// of other servers, refused without a cluster_key), a stream's frames for
// an m4f:// pull and this node's recordings, which check the key
// themselves.
func peerEndpoints(srv *server.Server, log *slog.Logger, frames *peer.M4F, dvr *peer.DVR) fasthttp.RequestHandler {
	var node peer.Node = srv.Standalone("")
	if n := srv.Cluster(); n != nil {
		node = n
	}
	return peer.Handler(node, peer.Routes{M4F: frames.Serve, DVR: dvr.ServeHTTP}, log)
}

// lazyView is the cluster's View once the server runs (the merged DVR
// archives are built before it starts): empty until then, and without a
// cluster.
type lazyView struct {
	srv *atomic.Pointer[server.Server]
}

func (v lazyView) node() *cluster.Node {
	if s := v.srv.Load(); s != nil {
		return s.Cluster()
	}
	return nil
}

func (v lazyView) Members() []cluster.Member {
	if n := v.node(); n != nil {
		return n.View().Members()
	}
	return nil
}

func (v lazyView) Self() cluster.Member {
	if n := v.node(); n != nil {
		return n.View().Self()
	}
	return cluster.Member{Self: true}
}

// dvrArchives merges a cluster_ingest stream's recordings across the
// cluster: this node's and every member's (actors/clusterdvr). protects
// says which streams this node encrypts itself (drm.go's protectsM4F):
// the members hand a protected stream's recording only to such a node, as
// they hand its frames (peer.DVR.Protected).
func dvrArchives(running *atomic.Pointer[server.Server], key func() string, client *http.Client,
	protects func(name string) bool,
) *clusterdvr.Archives {
	return clusterdvr.New(clusterdvr.Options{
		View:     lazyView{running},
		Key:      key,
		Client:   client,
		Protects: protects,
		Clustered: func(name string) bool {
			s := running.Load()
			if s == nil {
				return false
			}
			st, ok := s.Config().Stream(name)
			return ok && st.ClusterIngest != nil && st.DVR != nil
		},
	})
}

// locators are the gateway's: on a cluster node the cluster-aware ones
// (any node serves any stream) and the balancer that sends viewers away
// from a node over its peer line's limits, else this node's alone and no
// balancer.
func locators(srv *server.Server, here local.Server, log *slog.Logger) (api.Control, live.Locator, play.Balancer) {
	viewers := local.Viewers{Server: here}
	n := srv.Cluster()
	if n == nil && srv.Sources() != nil {
		return here, &remote.Viewers{Local: viewers, Sources: srv.Sources(), Relays: srv, Logger: log}, nil
	}
	if n == nil {
		return here, viewers, nil
	}
	c := remote.Cluster{View: n.View(), Remote: n.Remote()}
	loc := remote.NewLocator(here, srv.Config, c)
	bal := &remote.Balancer{View: c.View, Peers: func() []config.Peer { return srv.Config().Peers }}
	var sources remote.Members // a nil interface without `source` lines
	if srv.Sources() != nil {
		sources = srv.Sources()
	}
	rv := &remote.Viewers{Local: viewers, View: c.View, Sources: sources, Relays: srv, Logger: log}
	return remote.Control{Control: here, Loc: loc}, rv, bal
}

// hostLoad is the machine's share of CPU in use and its network output,
// which the cluster reports as this node's load: gateway/metrics' /proc
// readers (the actors may not import the gateway).
func hostLoad() (cpu float64, outKbit int64) {
	h := metrics.SampleHost()
	return float64(h.CPUUsage) / 100, h.OutKbit
}

// m4fKeys returns the key an m4f:// pull from host proves: the cluster_key
// of the `source` line that names host when it has its own, else the
// running configuration's (cfg until the server runs).
func m4fKeys(running *atomic.Pointer[server.Server], cfg *config.Server) func(host string) string {
	return func(host string) string {
		c := cfg
		if s := running.Load(); s != nil {
			c = s.Config()
		}
		for _, src := range c.Sources {
			if u, err := url.Parse(cluster.SourceURL(src.URL)); err == nil && src.ClusterKey != "" && u.Host == host {
				return src.ClusterKey
			}
		}
		return c.ClusterKey
	}
}

// peerStats fills /cluster/peers' stats from the cluster's view; nil
// without a cluster.
func peerStats(srv *server.Server) func(string) api.PeerStats {
	if n := srv.Cluster(); n != nil {
		return remote.PeerStats(n.View())
	}
	return nil
}
