package certs

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"

	"streamhive/actors/config"
)

// ClusterTLS is what the connections between cluster nodes run on when the
// cluster is over TLS: Server for this node's remote (gRPC) port, Client
// for everything it dials on other nodes (their remote ports, the probes,
// m4f pulls, DVR reads).
type ClusterTLS struct {
	Server *tls.Config
	Client *tls.Config
}

// Cluster returns the cluster's TLS configurations from https listener l:
// the node presents l's certificate (renewed by Reload like the
// listener's), and trusts the system's roots and the self-signed roots
// that l's own chain carries (streamer-ca.crt, or the certificate file's
// tail), so nodes whose certificates one private CA issued trust each
// other and nothing else it does not already trust. The trust is taken
// once, here: a new root takes a restart.
func (b *Book) Cluster(l config.Listen) (*ClusterTLS, error) {
	lc, err := b.Config("https", l)
	if err != nil {
		return nil, err
	}
	cert, err := b.cert(l)
	if err != nil {
		return nil, err
	}
	pool, err := trustOf(cert.Current())
	if err != nil {
		return nil, fmt.Errorf("cluster TLS: %w", err)
	}
	srv := lc.Clone()
	srv.NextProtos = nil // gRPC asks for h2 itself
	return &ClusterTLS{
		Server: srv,
		Client: &tls.Config{RootCAs: pool, MinVersion: lc.MinVersion, MaxVersion: lc.MaxVersion},
	}, nil
}

// trustOf is the system's roots and the self-signed CA certificates of
// c's chain (the leaf never: a node trusts an issuer, not itself).
func trustOf(c *tls.Certificate) (*x509.CertPool, error) {
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if c == nil {
		return nil, errors.New("no certificate")
	}
	for _, der := range c.Certificate[min(1, len(c.Certificate)):] {
		ca, err := x509.ParseCertificate(der)
		if err != nil {
			return nil, err
		}
		if ca.IsCA && ca.CheckSignatureFrom(ca) == nil {
			pool.AddCert(ca)
		}
	}
	return pool, nil
}
