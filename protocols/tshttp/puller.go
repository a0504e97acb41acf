package tshttp

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"streamhive/media"
	"streamhive/protocols/mpegts"
)

// Errors Pull returns besides mpegts's and the transport's.
var (
	// ErrBadURL: a URL of another scheme, or one net/http refuses.
	ErrBadURL = errors.New("tshttp: bad url")
	// ErrStatus: the server answered with a status other than 200.
	ErrStatus = errors.New("tshttp: unexpected HTTP status")
)

// UserAgent is sent when the input has no user_agent option.
const UserAgent = "StreamHive"

// connectTimeout bounds connecting, the TLS handshake and waiting for the
// response header. The body is endless, so there is no overall timeout:
// the stream's source timeout notices a body that stalls.
const connectTimeout = 10 * time.Second

// defaultClient is used when Puller.Client is nil.
var defaultClient = &http.Client{Transport: &http.Transport{
	Proxy:                 http.ProxyFromEnvironment,
	DialContext:           (&net.Dialer{Timeout: connectTimeout, KeepAlive: 30 * time.Second}).DialContext,
	TLSHandshakeTimeout:   connectTimeout,
	ResponseHeaderTimeout: connectTimeout,
	ForceAttemptHTTP2:     true,
}}

// Puller implements tshttp:// and tshttps:// inputs (actors/input.Puller).
// One Puller serves any number of concurrent pulls.
type Puller struct {
	// Client makes the requests; nil means a client with 10 s connect,
	// TLS and response-header timeouts and no overall timeout.
	Client *http.Client
}

// Pull fetches url and demuxes the body with mpegts.Stream until ctx is
// done (it returns ctx.Err()), the body ends or fails, or the demux fails.
// Counts go to media.InputStatsFrom(ctx), the body's bytes included.
func (p Puller) Pull(ctx context.Context, url string, options map[string]string,
	publish func([]media.Track) (media.Sink, error),
) error {
	target, err := httpURL(url)
	if err != nil {
		return err
	}
	cfg, err := mpegts.ParseOptions(options)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrBadURL, err)
	}
	ua := options["user_agent"]
	if ua == "" {
		ua = UserAgent
	}
	req.Header.Set("User-Agent", ua)
	client := p.Client
	if client == nil {
		client = defaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("tshttp: GET %s: %w", target, err)
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%w: GET %s: %s", ErrStatus, target, resp.Status)
	}
	err = mpegts.Stream(ctx, resp.Body, cfg, publish)
	if ctx.Err() == nil {
		err = fmt.Errorf("tshttp: %s: %w", target, err)
	}
	return err
}

// httpURL maps an input URL to the URL to GET.
func httpURL(url string) (string, error) {
	scheme, rest, ok := strings.Cut(url, "://")
	if ok {
		switch strings.ToLower(scheme) {
		case "tshttp", "http":
			return "http://" + rest, nil
		case "tshttps", "https":
			return "https://" + rest, nil
		}
	}
	return "", fmt.Errorf("%w: %q: want tshttp://, tshttps://, http:// or https://", ErrBadURL, url)
}
