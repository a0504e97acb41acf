// Package peer serves the HTTP endpoints one node of a cluster calls on
// another, under one prefix, /streamhive/cluster/: every request there
// must carry the cluster key's proof (cluster.KeyHeader). Routes: node
// (the membership probe's answer), m4f/ (a stream's frames) and dvr/ (this
// node's recordings); the last two check the proof themselves, since they
// serve without a cluster too (an `input m4f://` needs only the key).
package peer

import (
	"encoding/json"
	"log/slog"
	"strings"

	"github.com/valyala/fasthttp"

	"streamhive/actors/cluster"
	"streamhive/gateway/api"
	"streamhive/media/m4f"
)

// Prefix is the path every inter-node endpoint lives under.
const Prefix = "/streamhive/cluster/"

// Node is this node's cluster as the endpoints need it (*cluster.Node).
type Node interface {
	CheckProof(proof string) bool
	Info() cluster.NodeInfo
}

// Match reports whether path is an inter-node endpoint.
func Match(path []byte) bool { return strings.HasPrefix(string(path), Prefix) }

// Routes are the inter-node endpoints besides node's probe answer; a nil
// one answers 404.
type Routes struct {
	M4F, DVR fasthttp.RequestHandler
}

// Handler serves the endpoints: m4f/ and dvr/ through routes, the rest
// for node; without a cluster (node nil) those are refused, since no proof
// can be checked.
func Handler(node Node, routes Routes, log *slog.Logger) fasthttp.RequestHandler {
	return func(rc *fasthttp.RequestCtx) {
		if h := routes.match(rc.Path()); h != nil {
			h(rc)
			return
		}
		if node == nil || !node.CheckProof(string(rc.Request.Header.Peek(cluster.KeyHeader))) {
			log.Warn("cluster: refused an inter-node request without our cluster_key",
				"peer", rc.RemoteAddr().String(), "path", string(rc.Path()))
			api.WriteError(rc, fasthttp.StatusForbidden, "forbidden", "wrong or missing cluster key")
			return
		}
		switch string(rc.Path()) {
		case cluster.NodePath:
			if !rc.IsGet() {
				api.WriteError(rc, fasthttp.StatusMethodNotAllowed, "method_not_allowed", "GET only")
				return
			}
			writeJSON(rc, node.Info())
		default:
			api.WriteError(rc, fasthttp.StatusNotFound, "not_found", "no such resource")
		}
	}
}

func writeJSON(rc *fasthttp.RequestCtx, v any) {
	rc.SetContentType("application/json")
	_ = json.NewEncoder(rc).Encode(v)
}

func (r Routes) match(path []byte) fasthttp.RequestHandler {
	switch p := string(path); {
	case strings.HasPrefix(p, m4f.Path) && r.M4F != nil:
		return r.M4F
	case strings.HasPrefix(p, DVRPrefix) && r.DVR != nil:
		return r.DVR
	}
	return nil
}
