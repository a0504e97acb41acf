// Package peer serves the HTTP endpoints one node of a cluster calls on
// another, under one prefix, /streamhive/cluster/: every request there
// must carry the cluster key's proof (cluster.KeyHeader), checked once
// before any route. Routes: node (the membership probe's answer).
package peer

import (
	"encoding/json"
	"log/slog"
	"strings"

	"github.com/valyala/fasthttp"

	"streamhive/actors/cluster"
	"streamhive/gateway/api"
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

// Handler serves the endpoints of node; without a cluster (node nil) it
// refuses them all, since no proof can be checked.
func Handler(node Node, log *slog.Logger) fasthttp.RequestHandler {
	return func(rc *fasthttp.RequestCtx) {
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
