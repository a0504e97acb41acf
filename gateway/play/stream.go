package play

import (
	"context"
	"errors"

	"streamhive/media/segment"
)

// Streams resolves a stream name to its playback handle. Lookup is called
// on every request, from many goroutines at once, and must not block: the
// actor side answers it from a published snapshot of its directory.
type Streams interface {
	// Lookup returns the named stream ("live/bunny"); false when no such
	// stream is configured (404).
	Lookup(name string) (Stream, bool)
}

// Stream is one stream's playback side. All methods are safe for concurrent
// use and, except Preview, must return at once without messaging an actor.
type Stream interface {
	// Segmenter returns the stream's segmenter; nil while the stream has
	// never produced. Keep returning the same segmenter for the stream's
	// life (across input failovers and restarts of its inputs): players
	// follow its media sequence numbers, which a new segmenter restarts.
	Segmenter() *segment.Segmenter
	// Enabled reports whether the stream serves an output, by the name its
	// `protocols` directive uses: ProtoHLS, ProtoDASH, ProtoTSHTTP,
	// ProtoJPEG. Outputs are on unless the directive turns them off.
	Enabled(protocol string) bool
	// Preview returns the latest keyframe as a JPEG. It may take a while
	// (decoding), bounded by ctx. The handler treats the bytes as read-only,
	// so an implementation may return a cached slice. Return an error
	// wrapping ErrNotProducing while there is no keyframe to show.
	Preview(ctx context.Context) ([]byte, error)
}

// Output names, as the Control API's play_protocols_spec names them.
const (
	ProtoHLS    = "hls"
	ProtoDASH   = "dash"
	ProtoTSHTTP = "tshttp"
	ProtoJPEG   = "jpeg"
)

// ErrNotProducing is what a Stream's Preview wraps while the stream has no
// picture yet; the handler answers 503 with Retry-After.
var ErrNotProducing = errors.New("play: stream is not producing")
