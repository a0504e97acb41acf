package play

import (
	"context"
	"errors"
	"time"

	"streamhive/gateway/live"
	"streamhive/media/dash"
	"streamhive/media/hls"
	"streamhive/media/segment"
)

// errNotReady: the stream produced nothing to answer with before the wait
// ended.
var errNotReady = errors.New("play: stream not ready")

// notReady reports whether a renderer's error means "no segment yet".
func notReady(err error) bool {
	return errors.Is(err, hls.ErrNotReady) || errors.Is(err, dash.ErrNotReady)
}

// await calls try with the stream's latest window until try returns
// anything but a not-ready error, and returns that; each retry waits for
// the next window (Stream.Next). It gives up with errNotReady after d or
// when the Handler closes. try is not called while the stream has no
// window.
//
// The first try costs no context: a stream that is producing is answered
// on the spot.
func await[T any](h *Handler, d time.Duration, st live.Stream, try func(*segment.Window) (T, error)) (T, error) {
	var ctx context.Context
	w := st.Window()
	for {
		if w != nil {
			v, err := try(w)
			if !notReady(err) && !errors.Is(err, errNotReady) {
				return v, err
			}
		}
		if ctx == nil {
			var cancel context.CancelFunc
			ctx, cancel = h.waitContext(d)
			defer cancel()
		}
		next, err := st.Next(ctx, w)
		if err != nil {
			var zero T
			return zero, errNotReady
		}
		w = next
	}
}
