package api

import (
	"context"
	"time"

	"streamhive/actors/config"
	"streamhive/media/dvr"
	"streamhive/media/stats"
)

// Control is what the Control API needs from the actor system;
// actors/server implements it. Every method is safe for concurrent use.
type Control interface {
	// Config returns the current configuration. It is an immutable
	// snapshot: callers must not modify it or anything it points to.
	Config() *config.Server

	// Stats returns the runtime stats of a configured stream that is
	// running, read from the stream's published snapshot (no message).
	Stats(name string) (*stats.Stream, bool)

	// Apply applies one change: validated, persisted to the config file, and
	// only then in effect. An error wrapping config.ErrInvalid means the
	// change was rejected and nothing changed; config.ErrNotFound means the
	// thing it names does not exist.
	Apply(ctx context.Context, c config.Change) error

	// StopStream stops a stream's actors (POST /streams/{name}/stop). A
	// static stream is started again by its supervisor.
	StopStream(ctx context.Context, name string) error

	// SelectInput pins input index (configuration order) of a running
	// stream by hand (POST /streams/{name}/inputs/{index}/select): it
	// takes over at its next keyframe. An unknown stream is an error
	// wrapping config.ErrNotFound, an index the stream lacks one wrapping
	// config.ErrNoInput, an input that has failed one wrapping
	// config.ErrInvalid.
	SelectInput(ctx context.Context, name string, index int) error

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
