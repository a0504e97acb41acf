package api

import (
	"context"
	"time"

	"streamhive/actors/config"
	"streamhive/gateway/live"
	"streamhive/media/dvr"
)

// Control is what the Control API needs from the actor system;
// actors/server implements it. Every method is safe for concurrent use.
type Control interface {
	// Config returns the current configuration. It is an immutable
	// snapshot: callers must not modify it or anything it points to.
	Config() *config.Server

	// Locator finds the streams that calls reaching one stream act on
	// (stats, input select, stop), wherever they run: today always on this
	// node. A stream it does not find is not running (404).
	live.Locator

	// Apply applies one change: validated, persisted to the config file, and
	// only then in effect. An error wrapping config.ErrInvalid means the
	// change was rejected and nothing changed; config.ErrNotFound means the
	// thing it names does not exist.
	Apply(ctx context.Context, c config.Change) error

	// Started is when the server started.
	Started() time.Time

	// Ready reports whether the server has applied its configuration and
	// opened its listeners (GET /monitoring/readiness).
	Ready() bool

	// DVR returns stream name's archive; false when the stream records
	// nothing.
	DVR(name string) (*dvr.Store, bool)

	// DVRDisks returns the state of every DVR root in use.
	DVRDisks() []dvr.DiskStatus
}
