package cluster

import (
	"crypto/tls"
	"errors"
	"log/slog"
	"net/http"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
)

// transport is what a node's connections to the others run on: the
// remote port's server and dial options (the key checked and proved on
// every call, over TLS when the cluster is) and the HTTP client of its
// probes.
type transport struct {
	server []grpc.ServerOption
	dial   []grpc.DialOption
	client *http.Client
}

// newTransport builds cfg's transport; from returns this node's remote
// address, which its calls name themselves by.
func newTransport(cfg Config, from func() string, log *slog.Logger) transport {
	t := transport{
		server: keyServerOptions(cfg.Key, log),
		dial:   []grpc.DialOption{grpc.WithTransportCredentials(insecure.NewCredentials()), keyDialOption(cfg.Key, from)},
		client: &http.Client{},
	}
	if cfg.ServerTLS == nil || cfg.ClientTLS == nil {
		return t
	}
	t.server = append(t.server, grpc.Creds(credentials.NewTLS(cfg.ServerTLS)))
	t.dial[0] = grpc.WithTransportCredentials(credentials.NewTLS(cfg.ClientTLS))
	t.client = HTTPClient(cfg.ClientTLS)
	return t
}

// HTTPClient is an HTTP client that verifies servers with tc (nil: the
// system's roots): the cluster's probes, m4f pulls and DVR reads over
// https.
func HTTPClient(tc *tls.Config) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	if tc != nil {
		tr.TLSClientConfig = tc.Clone()
	}
	return &http.Client{Transport: tr}
}

// untrusted reports whether err is a peer's certificate this node does
// not trust (another CA's, expired, for another name).
func untrusted(err error) bool {
	var v *tls.CertificateVerificationError
	return errors.As(err, &v)
}
