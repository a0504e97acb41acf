// Package live is the gateway's one seam to a running stream, wherever it
// runs. Stream is everything the playback handlers (gateway/play) and the
// Control API (gateway/api) do with a stream; a Locator finds a stream's
// Stream by name and says where it runs. Today every stream runs on this
// node (gateway/local adapts the actor server); a stream on another node of
// a cluster implements the same Stream over the network, keeping the
// contract written on it, and the handlers serve it unchanged.
package live

import (
	"context"
	"errors"

	"streamhive/media/hls"
	"streamhive/media/segment"
	"streamhive/media/stats"
)

// Stream is one running stream as the gateway serves and controls it.
//
// The contract every implementation keeps, local or remote:
//
//   - All methods are safe for concurrent use by any number of requests.
//     Window, Media (of a local stream), Enabled and Stats return at once:
//     they read published snapshots and never message an actor. Next, Wait,
//     Preview, SelectInput and Stop may block, bounded by their ctx.
//
//   - One Stream serves one lineage of windows: its media sequence numbers
//     and window versions only grow. When the stream starts over (its
//     actor restarts, its segmenter is new and numbers from 0 again), the
//     old Stream's window ends (Window().Ended, Wait returns
//     segment.ErrClosed) and the Locator hands out a new Stream. Callers
//     that outlive a lineage (continuous MPEG-TS) locate the stream again.
//
//   - Windows are immutable snapshots: neither the *segment.Window nor
//     anything it points to changes after Window or Next returned it.
//     Window returns the same pointer until a newer window exists (the
//     playlist render cache shares renderings per window). Its
//     Window.Changed channel is the local segmenter's business: callers
//     wait with Next, and a remote window may leave it nil.
//
//   - Bytes come from Media, not from the window: handlers never read a
//     Segment's or Part's TS or CMAF bytes. The renderers (hls, dash) read
//     only the lengths of Segment.TS and Segment.CMAF (the bandwidth they
//     advertise), so a remote window must carry slices of the right
//     lengths, or the bytes themselves.
//
//   - Wait has segment.Segmenter.Wait's semantics, with its sentinels:
//     nil once the window holds the segment or part, segment.ErrTooFarAhead
//     at once for a request RFC 8216bis says to refuse, segment.ErrClosed
//     when the window ends first, otherwise ctx's error.
//
//   - A stream that is configured but has produced nothing (or whose actor
//     is not running) is a valid Stream: Window returns nil, Next and Wait
//     block until ctx ends, Media returns nothing, Preview fails with
//     ErrNotProducing.
//
//   - A Stream may also implement play.Archived (its DVR archive); one
//     that does not answers archive URLs 404.
type Stream interface {
	// Window returns the current window; nil while the stream has none.
	Window() *segment.Window
	// Next returns the current window as soon as it is not w: at once when
	// it already differs (w nil: as soon as there is a window), else when
	// the next one is published. It returns ctx's error when ctx ends first.
	Next(ctx context.Context, w *segment.Window) (*segment.Window, error)
	// Wait blocks until the window holds segment msn (part < 0) or part
	// `part` of it, as an LL-HLS blocking reload needs (see the contract).
	Wait(ctx context.Context, msn uint64, part int) error
	// Media returns the bytes of the segment, part or init segment ref
	// names, read-only. Nil and no error when the current window lacks it
	// (it left the window, or the track has no sample there); an error only
	// when fetching failed. It does not wait for the stream to produce.
	// ctx may live as long as the gateway (handlers call it per part, on
	// the hot path): a remote implementation bounds its fetch itself too.
	Media(ctx context.Context, ref hls.Ref) ([]byte, error)

	// Enabled reports whether the stream serves an output, by the name its
	// `protocols` directive uses (play.ProtoHLS, ...). Outputs are on
	// unless the directive turns them off.
	Enabled(protocol string) bool
	// Preview returns the latest keyframe as a JPEG, read-only (it may be
	// a cached slice). It may take a while (decoding), bounded by ctx.
	// While there is no keyframe to show it fails wrapping ErrNotProducing.
	Preview(ctx context.Context) ([]byte, error)

	// Stats returns the stream's runtime stats from its latest published
	// status; false while it has published none.
	Stats() (stats.Stream, bool)
	// SelectInput pins input index (configuration order) by hand: it takes
	// over at its next keyframe. Errors wrap config.ErrNotFound (the
	// stream is not running), config.ErrNoInput (no such input) or
	// config.ErrInvalid (the input has failed).
	SelectInput(ctx context.Context, index int) error
	// Stop stops the stream's actors; a static stream is started again by
	// its supervisor, as a new lineage. An error wrapping
	// config.ErrNotFound: the stream is no longer configured.
	Stop(ctx context.Context) error
}

// ErrNotProducing is what a Stream's Preview wraps while the stream has no
// picture yet; the handler answers 503 with Retry-After.
var ErrNotProducing = errors.New("live: stream is not producing")
