package m4f

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"streamhive/media"
	wire "streamhive/media/m4f"
)

// Errors Pull returns besides the framing's (media/m4f) and the transport's.
var (
	// ErrBadURL: not m4f://HOST[:PORT]/NAME or m4fs://.
	ErrBadURL = errors.New("m4f: bad url")
	// ErrRefused: the owner refused the pull (403): it refused this
	// node's cluster key (the keys differ, the clocks are more than
	// minutes apart, or this node has no cluster_key), or the stream is
	// protected and this node does not protect it (Puller.Protects).
	ErrRefused = errors.New("m4f: the owner refused the cluster key")
	// ErrNoStream: the owner does not run the stream (404), or runs it
	// only as a relay of another node's.
	ErrNoStream = errors.New("m4f: the owner does not run the stream")
	// ErrStatus: any other status than 200.
	ErrStatus = errors.New("m4f: unexpected HTTP status")
	// ErrEnded: the owner ended the response (its stream stopped).
	ErrEnded = errors.New("m4f: the owner ended the stream")
)

// connectTimeout bounds connecting, the TLS handshake and the response
// header. The body is endless: the stream's source timeout notices a
// body that stalls.
const connectTimeout = 10 * time.Second

var defaultClient = NewClient(nil)

// NewClient is the client of m4f pulls: 10 s connect, TLS and
// response-header timeouts, no overall timeout; over https it verifies
// the owner with tc (nil: the system's roots), e.g. a cluster's trust.
func NewClient(tc *tls.Config) *http.Client {
	return &http.Client{Transport: &http.Transport{
		DialContext:           (&net.Dialer{Timeout: connectTimeout, KeepAlive: 30 * time.Second}).DialContext,
		TLSClientConfig:       tc,
		TLSHandshakeTimeout:   connectTimeout,
		ResponseHeaderTimeout: connectTimeout,
		ForceAttemptHTTP2:     true,
	}}
}

// Puller implements m4f:// and m4fs:// inputs (actors/input.Puller). One
// Puller serves any number of concurrent pulls.
type Puller struct {
	// Client makes the requests; nil: NewClient(nil).
	Client *http.Client
	// Proof returns the header that proves this node holds the key of
	// host (the owner's host:port in the URL) and its value, made now
	// (cmd wires actors/cluster's KeyProof on the running configuration's
	// cluster_key, or a `source` line's own). Nil, or an empty value,
	// sends none: the owner answers 403.
	Proof func(host string) (header, value string)
	// Protects, when set, reports whether this node protects stream name
	// (the pulling stream's, the pull's "name" option) itself: its drm
	// line encrypts its outputs. Such a pull says so
	// (media/m4f.ProtectsHeader), and the owner of a protected stream
	// serves it; any other pull of a protected stream is refused.
	Protects func(name string) bool
}

// Pull GETs the stream from its owner and publishes its records until ctx
// is done (it returns ctx.Err()), the body ends (ErrEnded) or fails, or a
// record is malformed (counted in Errors; the error wraps
// media/m4f.ErrMalformed). Counts go to media.InputStatsFrom(ctx), the
// body's bytes included.
func (p Puller) Pull(ctx context.Context, rawURL string, options map[string]string,
	publish func([]media.Track) (media.Sink, error),
) error {
	target, err := httpURL(rawURL)
	if err != nil {
		return err
	}
	resp, err := p.get(ctx, target, p.Protects != nil && p.Protects(options["name"]))
	if err != nil {
		return err
	}
	defer func() { _ = resp.Body.Close() }()
	stats := media.InputStatsFrom(ctx)
	err = p.read(wire.NewReader(countingReader{resp.Body, stats}), stats, publish)
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return fmt.Errorf("m4f: %s: %w", target, err)
}

func (p Puller) get(ctx context.Context, target string, protects bool) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadURL, err)
	}
	req.Header.Set("User-Agent", "StreamHive m4f")
	if protects {
		req.Header.Set(wire.ProtectsHeader, wire.ProtectsValue)
	}
	if p.Proof != nil {
		if h, v := p.Proof(req.URL.Host); h != "" && v != "" {
			req.Header.Set(h, v)
		}
	}
	client := p.Client
	if client == nil {
		client = defaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("m4f: GET %s: %w", target, err)
	}
	if resp.StatusCode == http.StatusOK {
		return resp, nil
	}
	_ = resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusForbidden:
		return nil, fmt.Errorf("%w: GET %s: %s", ErrRefused, target, resp.Status)
	case http.StatusNotFound:
		return nil, fmt.Errorf("%w: GET %s: %s", ErrNoStream, target, resp.Status)
	default:
		return nil, fmt.Errorf("%w: GET %s: %s", ErrStatus, target, resp.Status)
	}
}

// read publishes r's track lists and writes its frames to the sink the
// latest publish returned, until r fails.
func (p Puller) read(r *wire.Reader, stats *media.InputStats, publish func([]media.Track) (media.Sink, error)) error {
	var sink media.Sink
	for {
		tracks, f, err := r.Next()
		switch {
		case errors.Is(err, io.EOF):
			return ErrEnded
		case errors.Is(err, wire.ErrMalformed), errors.Is(err, wire.ErrVersion):
			stats.Errors.Add(1)
			return err
		case err != nil:
			return err
		case tracks != nil:
			if sink, err = publish(tracks); err != nil {
				return fmt.Errorf("publish: %w", err)
			}
		default:
			sink.WriteFrame(f) // the reader refuses a frame before tracks
			stats.Frames.Add(1)
		}
	}
}

// httpURL maps m4f://HOST[:PORT]/NAME to the owner's URL of the stream.
func httpURL(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrBadURL, err)
	}
	name := strings.Trim(u.Path, "/")
	var scheme string
	switch strings.ToLower(u.Scheme) {
	case "m4f":
		scheme = "http"
	case "m4fs":
		scheme = "https"
	}
	if scheme == "" || u.Host == "" || name == "" || u.User != nil {
		return "", fmt.Errorf("%w: %q: want m4f://HOST[:PORT]/NAME or m4fs://", ErrBadURL, raw)
	}
	out := url.URL{Scheme: scheme, Host: u.Host, Path: wire.Path + name, RawQuery: u.RawQuery}
	return out.String(), nil
}

// countingReader counts the body's bytes into the input's stats.
type countingReader struct {
	r     io.Reader
	stats *media.InputStats
}

func (c countingReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.stats.Bytes.Add(uint64(n))
	return n, err
}
