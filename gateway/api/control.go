package api

import (
	"context"
	"time"

	"streamhive/actors/config"
	"streamhive/actors/sessions"
	"streamhive/actors/vods"
	"streamhive/gateway/live"
	"streamhive/media/dvr"
)

// Control is what the Control API needs from the actor system;
// actors/server implements it. Every method is safe for concurrent use.
type Control interface {
	// Config returns the current configuration. It is an immutable
	// snapshot: callers must not modify it or anything it points to.
	Config() *config.Server
	// DynamicStreams returns the streams templates created for their
	// publishers, which no configuration holds: GET /streams lists them
	// while they live. Immutable, the same pointer until the set changes;
	// nil when there are none.
	DynamicStreams() *[]config.Stream

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
	// DVRArchive returns the archive this node serves of stream name
	// (its ranges, its exports): for a `cluster_ingest` stream the union
	// of every node's recording of it; false when there is none.
	DVRArchive(name string) (dvr.Archive, bool)

	// DVRDisks returns the state of every DVR root in use.
	DVRDisks() []dvr.DiskStatus

	// VODs returns the VOD locations of the running configuration and
	// the files viewers have open.
	VODs() *vods.Registry

	// Sessions returns every open viewer session (GET /sessions).
	Sessions() []sessions.Info
	// Session returns open session id.
	Session(id string) (sessions.Info, bool)
	// KickSession ends session id, whose key is refused from then on and
	// whose connection closes; false when no such session is open.
	KickSession(id string) bool
	// ReauthSessions makes every open session of stream ask its backend
	// again now and returns how many there are; an error wrapping
	// config.ErrNotFound when no such stream is configured.
	ReauthSessions(stream string) (int, error)
	// TotalClients returns how many viewer sessions the server has open.
	TotalClients() int
}
