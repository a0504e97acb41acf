// Package push implements push targets: one actor per configured `push`
// of a stream (rtmp://, rtmps://, srt://, udp://), a child of the stream
// actor. It reads the stream's hub through its own consumer, so a target
// that is slow or down loses frames (the hub's bounded queue drops them
// for that consumer alone) and never stalls the stream or other targets.
//
// Each target is two actors. The target actor owns the target's stats and
// is the supervisor of a session actor, the leaf that runs one connection
// (one Sender call) and fails when it ends. The target restarts the
// session after retry_timeout, doubling with each failure in a row up to
// maxRetryDelay, and stops retrying after retry_limit failures in a row.
//
// A session's sender reads only the tracks the push carries (selected,
// selectTracks): an RTMP target has room for one rendition, the largest
// video unless the push's tracks= names another; an MPEG-TS target gets
// every rendition on its own PID.
//
// The package imports protocols for its senders and nothing of the
// stream: the stream hands over a Subscribe function.
package push

import (
	"context"
	"errors"
	"sync/atomic"
	"time"

	"streamhive/actors/config"
	"streamhive/actors/events"
	"streamhive/media"
	"streamhive/media/hub"
)

// Source is what a sender reads: a hub consumer.
type Source interface {
	Read(ctx context.Context) (*media.Frame, error)
	Tracks() *hub.Tracks
}

// Sender runs one push connection: it sends src's frames to url until ctx
// ends, src ends or the connection fails, and returns why. It never
// retries. Bytes sent are added to sent.
type Sender func(ctx context.Context, url string, options map[string]string, src Source, sent *atomic.Uint64) error

// Config configures one target actor.
type Config struct {
	Stream media.StreamName
	ID     string // names the target in the API (push_stats.id) and in /metrics; unique per server
	Push   config.Push
	// Subscribe returns a new consumer of the stream's hub. Required.
	Subscribe func() (*hub.Consumer, error)
	// Senders maps URL schemes to senders. Nil means DefaultSenders().
	Senders map[string]Sender
	// Stats are the target's counters; they outlive restarts of the
	// session. Required.
	Stats *Stats
	// Backoff overrides the retry delays (tests); zero means the push's
	// retry_timeout, doubling up to maxRetryDelay.
	Backoff time.Duration
	// Events gets push_failed for each failed session. Nil: none.
	Events *events.Bus
}

// DefaultRetryTimeout is the delay before the first retry when the push
// sets no retry_timeout: Flussonic's default, 5 s.
const DefaultRetryTimeout = 5 * time.Second

// maxRetryDelay caps the doubling of the retry delay for a target that
// stays down, unless retry_timeout itself is longer.
const maxRetryDelay = 60 * time.Second

// Errors a session fails with.
var (
	// ErrUnknownScheme: no sender for the URL's scheme. Permanent.
	ErrUnknownScheme = errors.New("push: unsupported URL scheme")
	// ErrStreamEnded: the stream's hub closed under the session (the
	// stream is stopping or restarting).
	ErrStreamEnded = errors.New("push: the stream ended")
	// ErrSenderReturned: a sender returned without an error while the
	// session was running.
	ErrSenderReturned = errors.New("push: connection ended")
)

// sessionEnded is sent by a session's goroutine when its Sender returns.
type sessionEnded struct {
	run *run
	err error
}

// IgnoreDeadLetterLogging implements actor.IgnoreDeadLetterLogging: a
// sender of a stopped session returns after its actor is gone.
func (*sessionEnded) IgnoreDeadLetterLogging() {}
