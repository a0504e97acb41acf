package hlspull

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"
)

// UserAgent is sent when the input has no user_agent option.
const UserAgent = "StreamHive"

// Download limits: a playlist is text of a few KiB; a segment of 10 s at
// 40 Mbit/s is 50 MB.
const (
	maxPlaylist = 1 << 20
	maxSegment  = 128 << 20
)

// connectTimeout bounds connecting, the TLS handshake and waiting for the
// response header; fetchTimeout bounds one whole download, so that a
// server that stalls mid-body fails the input.
const (
	connectTimeout = 10 * time.Second
	fetchTimeout   = 30 * time.Second
)

// defaultClient is used when Puller.Client is nil.
var defaultClient = &http.Client{Transport: &http.Transport{
	Proxy:                 http.ProxyFromEnvironment,
	DialContext:           (&net.Dialer{Timeout: connectTimeout, KeepAlive: 30 * time.Second}).DialContext,
	TLSHandshakeTimeout:   connectTimeout,
	ResponseHeaderTimeout: connectTimeout,
	ForceAttemptHTTP2:     true,
	MaxIdleConnsPerHost:   4,
}}

// getter downloads playlists and segments for one pull.
type getter struct {
	client *http.Client
	ua     string
}

// get downloads url whole, refusing bodies past limit, and returns the
// body. Every byte read is counted into count.
func (g *getter) get(ctx context.Context, url string, limit int64, count func(int)) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, fetchTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadURL, err)
	}
	req.Header.Set("User-Agent", g.ua)
	resp, err := g.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("hlspull: GET %s: %w", url, err)
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		return nil, &statusError{url: url, code: resp.StatusCode, status: resp.Status}
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	count(len(body))
	if err != nil {
		return nil, fmt.Errorf("hlspull: GET %s: %w", url, err)
	}
	if int64(len(body)) > limit {
		return nil, fmt.Errorf("hlspull: GET %s: body larger than %d bytes", url, limit)
	}
	return body, nil
}

// statusError is a non-200 answer; it wraps ErrStatus.
type statusError struct {
	url    string
	code   int
	status string
}

func (e *statusError) Error() string {
	return fmt.Sprintf("%s: GET %s: %s", ErrStatus, e.url, e.status)
}

func (e *statusError) Unwrap() error { return ErrStatus }

// gone tells a segment the origin already dropped from its window.
func (e *statusError) gone() bool {
	return e.code == http.StatusNotFound || e.code == http.StatusGone
}

// playlistURL maps an input URL to the URL to GET.
func playlistURL(url string) (string, error) {
	scheme, rest, ok := strings.Cut(url, "://")
	if ok && rest != "" {
		switch strings.ToLower(scheme) {
		case "hls", "http":
			return "http://" + rest, nil
		case "hlss", "https":
			return "https://" + rest, nil
		}
	}
	return "", fmt.Errorf("%w: %q: want hls:// or hlss://", ErrBadURL, url)
}
