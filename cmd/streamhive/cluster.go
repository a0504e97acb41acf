package main

import (
	"log/slog"
	"net"

	"github.com/valyala/fasthttp"

	"streamhive/actors/server"
	"streamhive/gateway/peer"
)

// firstHTTPAddr is the address of the first plain-HTTP listener, which the
// cluster advertises as this node's API; nil when there is none.
func firstHTTPAddr(lns []httpPort) net.Addr {
	for _, ln := range lns {
		if ln.scheme() == "http" {
			return ln.Addr()
		}
	}
	return nil
}

// peerEndpoints serves the inter-node endpoints when this node is in a
// cluster; nil (404) when not.
func peerEndpoints(srv *server.Server, log *slog.Logger) fasthttp.RequestHandler {
	if n := srv.Cluster(); n != nil {
		return peer.Handler(n, log)
	}
	return nil
}
