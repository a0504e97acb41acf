package auth

import (
	"net"
	"net/http"
	"time"
)

// Timeouts and bounds of the calls to HTTP auth backends.
const (
	// BackendTimeout bounds one backend call (connect, request, response
	// headers) when the caller's context has no earlier deadline: a player
	// waits on it, and a backend that takes longer is treated as down.
	BackendTimeout = 3 * time.Second
	// maxBodyRead is how much of a backend's response body is read (and
	// discarded) so that the keep-alive connection can be reused; a longer
	// body closes the connection instead. The protocol's answer lives in
	// the status and headers only.
	maxBodyRead = 4 << 10
	// maxHeaderBytes bounds the response headers a backend may send.
	maxHeaderBytes = 16 << 10
)

// NewHTTPClient returns the client the HTTP backends share: keep-alive
// connections to every backend host, bounded connect and response-header
// waits, and no redirect following (a 302 is the backend's answer, not a
// hop). One client serves every Book built over a server's life, so
// reloads keep the pooled connections.
func NewHTTPClient() *http.Client {
	dialer := &net.Dialer{Timeout: BackendTimeout, KeepAlive: 30 * time.Second}
	tr := &http.Transport{
		Proxy:                  nil, // a backend is reached directly, never through $HTTP_PROXY
		DialContext:            dialer.DialContext,
		TLSHandshakeTimeout:    BackendTimeout,
		ResponseHeaderTimeout:  BackendTimeout,
		MaxResponseHeaderBytes: maxHeaderBytes,
		MaxIdleConns:           256,
		MaxIdleConnsPerHost:    64,
		IdleConnTimeout:        90 * time.Second,
		ForceAttemptHTTP2:      true,
	}
	return &http.Client{
		Transport: tr,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}
