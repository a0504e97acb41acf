package certs

import (
	"crypto/tls"
	"net"
	"testing"

	"streamhive/actors/certs/certstest"
	"streamhive/actors/config"
)

// Nodes whose certificates one private CA issued trust each other through
// the root in their own chain; a node of another CA is refused both ways.
func TestClusterTrustsTheChainsRoot(t *testing.T) {
	ours, theirs := certstest.New(t), certstest.New(t)
	a, b, x := clusterTLS(t, ours.Leaf(t, 1)), clusterTLS(t, ours.Leaf(t, 2)), clusterTLS(t, theirs.Leaf(t, 3))
	if err := clusterHandshake(a.Client, b.Server); err != nil {
		t.Errorf("a node of the same CA: %v", err)
	}
	if err := clusterHandshake(a.Client, x.Server); err == nil {
		t.Error("a node of another CA was trusted")
	}
	if err := clusterHandshake(x.Client, a.Server); err == nil {
		t.Error("the node of another CA trusted ours")
	}
	if len(a.Server.NextProtos) != 0 {
		t.Errorf("the remote port offers %v: gRPC negotiates h2 itself", a.Server.NextProtos)
	}
}

func TestClusterWithoutCertificate(t *testing.T) {
	if _, err := NewBook(t.TempDir()).Cluster(config.Listen{Port: 443}); err == nil {
		t.Error("a cluster over TLS without a certificate")
	}
}

func clusterTLS(t *testing.T, leaf certstest.Leaf) *ClusterTLS {
	t.Helper()
	dir := t.TempDir()
	leaf.Write(t, dir, "streamer", false)
	c, err := NewBook(dir).Cluster(config.Listen{Address: "127.0.0.1", Port: 443})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// clusterHandshake runs a TLS handshake for 127.0.0.1 between client and server.
func clusterHandshake(client, server *tls.Config) error {
	cc, sc := net.Pipe()
	defer func() { _ = cc.Close() }()
	c := client.Clone()
	c.ServerName = "127.0.0.1"
	go func() {
		s := tls.Server(sc, server)
		_ = s.Handshake()
		_ = s.Close()
	}()
	return tls.Client(cc, c).Handshake()
}
