package streams

import (
	"fmt"

	"streamhive/actors/config"
)

// This file is the streams supervisor's local protocol. Send pointers;
// every request gets exactly one reply of the matching *...Reply type.

// ErrNotRunning answers StopStream for a stream that is not running (not
// configured, or disabled). It wraps config.ErrNotFound, which the Control
// API maps to 404.
var ErrNotRunning = fmt.Errorf("stream is not running: %w", config.ErrNotFound)

// Apply applies a configuration change to the running streams: added
// streams start, removed ones stop (their actors are gone), changed ones
// get stream.Update. Config is the new configuration, an immutable snapshot
// that the supervisor reads effective stream configs from; Diff is what
// changed (config.Diff of the previous configuration and Config). Applying
// is idempotent: an added stream that already runs is updated, a removed
// one that does not run is ignored, and a disabled one is stopped.
//
// An Apply with a nil Config syncs Diff's names against the configuration
// in effect (Config.Current): the cluster's placement of those streams
// changed, their configuration did not.
type Apply struct {
	Config *config.Server
	Diff   config.StreamDiff
}

// ApplyReply answers Apply once every actor has been started, updated or
// asked to stop.
type ApplyReply struct {
	Err error
}

// StopStream stops a stream's actors (POST /streams/{name}/stop) and starts
// the stream again as a fresh actor: its lifetime and input stats start over.
// Every configured stream is static for now, and a static stream is always
// restarted by its supervisor; the fresh actor is what Flussonic shows after
// a stop.
type StopStream struct {
	Name string
}

// StopStreamReply answers StopStream once the old actor has been asked to
// stop and the new one has been spawned.
type StopStreamReply struct {
	Err error
}

// Open starts a stream that runs only when asked for: an on-demand stream
// (config.MediaOptions.OnDemand) at its first viewer, and, with Publish,
// the stream a template admits a publisher to (config.Server.Dynamic). A
// stream that runs already is left as it is. The reply comes once the
// stream's actor is spawned and the Directory lists it; a name that is
// neither is ErrNotRunning.
//
// With Relay, Open starts a relay of a stream that only other nodes
// configure (cluster.RelayConfig; any node serves any stream): it runs
// like an on-demand stream and is gone Idle.OnDemand after its last
// viewer; it is in no configuration. A Relay that differs from the
// running relay's replaces it (its owner moved). A stream configured
// here ignores Relay: its placement decides.
type Open struct {
	Name    string
	Publish bool
	Relay   *config.Stream
}

// OpenReply answers Open.
type OpenReply struct {
	Err error
}
