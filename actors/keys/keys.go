// Package keys holds a protected stream's key actor: it keeps the
// stream's cpix.Source refreshed (the current and next key periods'
// keys, fetched ahead of each rotation), and reports the key server's
// failures and recovery in the stream's status, its log and events
// (drm_keys_failed, drm_keys_ready). The gateway reads the keys through
// the Handle; a period with no key fails closed there (drm.ErrUnavailable).
package keys

import (
	"context"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"streamhive/actors/config"
	"streamhive/actors/events"
	"streamhive/media/drm"
	"streamhive/protocols/cpix"
)

// DefaultRefresh is how often the key actor checks that the current and
// next periods' keys are held (a check with both held asks nothing).
const DefaultRefresh = 5 * time.Second

// DefaultCheck is how often the key actor asks the key server even though
// every key it needs is held, so that a server gone down shows in the
// stream's status before a period without a key comes (with no rotation,
// never). While the server is failing every refresh asks.
const DefaultCheck = time.Minute

// Spec is what the key actor of one stream needs.
type Spec struct {
	Stream string
	DRM    *config.DRM
	Bus    *events.Bus  // nil: no events
	Log    *slog.Logger // nil: slog.Default
	HTTP   *http.Client // nil: cpix's default
	// Refresh is the interval of the held keys' check (0: DefaultRefresh);
	// Check the interval of the key server's (0: DefaultCheck); Period
	// overrides the rotation period the config's expires= gives (tests).
	Refresh, Check, Period time.Duration
}

// Status is the key server's state as the stream reports it.
type Status struct {
	Err   string    // the last refresh's failure; "" when keys are being had
	Since time.Time // when Err (or its absence) began
	// Serving is whether a key protects media recorded now: with the key
	// server down, the held key of the current period still does (and a
	// key that never rotates does for good); without one, the protected
	// outputs refuse.
	Serving bool
}

// Handle is a stream's keys: the KeySource for its outputs and the
// status for its stats. Safe for any goroutine.
type Handle struct {
	src    *cpix.Source
	clear  []string // the drm line's clear=: outputs let out unencrypted
	ts     string   // the drm line's ts_method=
	status atomic.Pointer[Status]
}

// NewHandle builds the stream's key source from its drm line.
func NewHandle(spec Spec) *Handle {
	id := spec.DRM.ResourceID
	if id == "" {
		id = spec.Stream
	}
	c := &cpix.Client{
		URL: spec.DRM.Keyserver, ContentID: id, HTTP: spec.HTTP,
		Systems: []string{drm.SystemWidevine, drm.SystemPlayReady, drm.SystemFairPlay},
	}
	period := spec.Period
	if period == 0 {
		period = time.Duration(spec.DRM.Expires) * time.Minute
	}
	fetch := cpix.Fetcher(c.Fetch)
	r, _, err := Recipient(spec.DRM)
	if err != nil {
		// The server checked the files when it took the configuration;
		// they changed since. No key is had without them: fail closed.
		fetch = func(context.Context, []cpix.Span) ([]drm.Key, error) { return nil, err }
	}
	c.Recipient = r
	h := &Handle{src: cpix.NewSource(fetch, period), clear: spec.DRM.Clear, ts: spec.DRM.TSMethod}
	h.status.Store(&Status{Err: "keys not fetched yet", Since: time.Now()})
	return h
}

// KeySource is the stream's keys for its outputs.
func (h *Handle) KeySource() drm.KeySource { return h.src }

// Clear is the outputs the drm line lets out unencrypted (its clear=).
func (h *Handle) Clear() []string { return h.clear }

// TSMethod is how the drm line has HLS MPEG-TS encrypted (its ts_method=,
// config.DRMTSAES128 or DRMTSSampleAES; empty: the default).
func (h *Handle) TSMethod() string { return h.ts }

// Status is the key server's state, and whether a key protects now.
func (h *Handle) Status() Status {
	st := *h.status.Load()
	_, err := h.src.KeyAt(time.Now()) // the live edge: from memory only
	st.Serving = err == nil
	return st
}
