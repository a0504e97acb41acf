package api

import (
	"strings"

	"github.com/valyala/fasthttp"

	"streamhive/actors/config"
)

// The cluster API: GET /cluster/peers (peers_list), GET, PUT and DELETE
// /cluster/peers/{hostname} over the `peer` lines, and the same for
// /cluster/sources over the `source` blocks, keyed by their HOST[:PORT]
// (`url`). Writes go through the config owner like every other write;
// view-only users read the cluster keys masked (snapshot.forViewer).

func (a *API) listPeers(rc *fasthttp.RequestCtx, r *request) {
	a.list(rc, r.snap.peers)
	a.withPeerStats(rc, true) // peerstats.go
}

func (a *API) getPeer(rc *fasthttp.RequestCtx, r *request) {
	a.get(rc, r.snap.peers, r.name)
	a.withPeerStats(rc, false)
}

func (a *API) putPeer(rc *fasthttp.RequestCtx, r *request) {
	a.put(rc, r, func(s *snapshot) *collection { return s.peers }, func(patch []byte) config.Change {
		return config.PutPeer{Hostname: r.name, Patch: patch}
	})
}

func (a *API) deletePeer(rc *fasthttp.RequestCtx, r *request) {
	a.del(rc, config.DeletePeer{Hostname: r.name})
}

func (a *API) listSources(rc *fasthttp.RequestCtx, r *request) { a.list(rc, r.snap.sources) }

func (a *API) getSource(rc *fasthttp.RequestCtx, r *request) { a.get(rc, r.snap.sources, r.name) }

func (a *API) putSource(rc *fasthttp.RequestCtx, r *request) {
	a.put(rc, r, func(s *snapshot) *collection { return s.sources }, func(patch []byte) config.Change {
		return config.PutSource{URL: r.name, Patch: patch}
	})
}

func (a *API) deleteSource(rc *fasthttp.RequestCtx, r *request) {
	a.del(rc, config.DeleteSource{URL: r.name})
}

// matchCluster finds the route of a path under /cluster/.
func matchCluster(rest string) (*route, string) {
	kind, name, _ := strings.Cut(rest, "/")
	switch kind {
	case "peers":
		if name == "" {
			return routePeers, ""
		}
		return routePeer, name
	case "sources":
		if name == "" {
			return routeSources, ""
		}
		return routeSource, name
	}
	return nil, ""
}
