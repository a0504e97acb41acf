package live

import (
	"context"
	"time"

	"streamhive/media/preview"
)

// Thumbnails is a Stream that serves the thumbnails of its recent
// keyframes (the HLS and DASH image tracks): a local stream implements it
// from its preview's keyframes, as its `thumbnails` directive allows. A
// Stream that does not has no thumbnails, and the handlers answer them 404.
type Thumbnails interface {
	// ThumbnailBoxes reports whether the stream serves thumbnails (its
	// `thumbnails` directive is there and not enabled=false) and the boxes
	// its image tracks announce (the directive's sizes; none: no image
	// track, though thumbnails of any box are served).
	ThumbnailBoxes() (on bool, boxes []preview.Box)

	// Thumbnail returns a JPEG, read-only, of the recent keyframe nearest
	// at, fitted into w×h without enlarging it. It may take a while
	// (decoding), bounded by ctx. While there is no keyframe it fails
	// wrapping ErrNotProducing.
	Thumbnail(ctx context.Context, at time.Time, w, h int) ([]byte, error)
}
