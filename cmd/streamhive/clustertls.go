package main

import (
	"crypto/tls"
	"net"
	"net/http"

	"streamhive/actors/certs"
	"streamhive/actors/cluster"
	"streamhive/actors/config"
)

// clusterTrust is what this node verifies other nodes with when its
// cluster runs over TLS (peer lines with https api_url): the first https
// listener's certificate chain's roots and the system's (certs.Book's
// Cluster). Nil without a TLS cluster: the system's roots.
func clusterTrust(cfg *config.Server, book *certs.Book) (*tls.Config, error) {
	if !cfg.ClusterTLS() {
		return nil, nil
	}
	t, err := book.Cluster(cfg.Listeners.HTTPS[0]) // Validate saw it
	if err != nil {
		return nil, err
	}
	return t.Client, nil
}

// clusterClient is the HTTP client of the calls on other nodes' HTTP
// ports (their recordings), verifying them with trust.
func clusterClient(trust *tls.Config) *http.Client {
	if trust == nil {
		return nil // clusterdvr's default
	}
	return cluster.HTTPClient(trust)
}

// clusterAddr is the listener the cluster advertises as this node's API:
// the first https one in a cluster over TLS, else the first plain HTTP
// one; nil when there is none.
func clusterAddr(cfg *config.Server, lns []httpPort) net.Addr {
	scheme := "http"
	if cfg.ClusterTLS() {
		scheme = "https"
	}
	for _, ln := range lns {
		if ln.scheme() == scheme {
			return ln.Addr()
		}
	}
	return nil
}
