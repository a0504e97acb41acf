package live

import (
	"context"
	"time"
)

// Thumbnails is a Stream that serves the thumbnails of its recent
// keyframes (the HLS and DASH image tracks): a local stream implements it
// from its preview's keyframes. A Stream that does not has no thumbnails,
// and the handlers answer them 404.
type Thumbnails interface {
	// Thumbnail returns a JPEG, read-only, of the recent keyframe nearest
	// at, fitted into w×h without enlarging it. It may take a while
	// (decoding), bounded by ctx. While there is no keyframe it fails
	// wrapping ErrNotProducing.
	Thumbnail(ctx context.Context, at time.Time, w, h int) ([]byte, error)
}
