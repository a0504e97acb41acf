package cluster

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// ErrKeyRefused is a probe the peer answered our probe with 403, it holds another
// cluster_key.
var ErrKeyRefused = errors.New("cluster: the peer refused our cluster_key")

// Peer is one `peer` line as the prober needs it.
type Peer struct {
	// Name is the line's HOST[:PORT].
	Name string
	// URL is the base of the peer's HTTP port: its api_url, else
	// http://HOST[:PORT].
	URL string
	// Payload is the line's private_payload_url: where other nodes pull
	// the peer's media (m4f, DVR records) when that is not its API
	// (another network, a proxy); empty: the API URL it answers with.
	Payload string
}

// probeFunc asks one peer for its NodeInfo.
type probeFunc func(ctx context.Context, p Peer) (NodeInfo, error)

// httpProbe is the probe over the peer's HTTP port, with a fresh proof
// of key on each request.
func httpProbe(client *http.Client, key string) probeFunc {
	return probeReading(client, key, ReadNodeInfo)
}

// probeReading is the probe over HTTP whose answer read decodes.
func probeReading(client *http.Client, key string, read func(io.Reader) (NodeInfo, error)) probeFunc {
	return func(ctx context.Context, p Peer) (NodeInfo, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimSuffix(p.URL, "/")+NodePath, nil)
		if err != nil {
			return NodeInfo{}, err
		}
		req.Header.Set(KeyHeader, KeyProof(key, time.Now()))
		resp, err := client.Do(req)
		if err != nil {
			return NodeInfo{}, err
		}
		defer func() { _ = resp.Body.Close() }()
		switch resp.StatusCode {
		case http.StatusOK:
			return read(resp.Body)
		case http.StatusForbidden:
			return NodeInfo{}, ErrKeyRefused
		}
		return NodeInfo{}, fmt.Errorf("cluster: probe answered %s", resp.Status)
	}
}
