package play

import (
	"context"
	"errors"
	"time"

	"streamhive/media/dash"
	"streamhive/media/hls"
	"streamhive/media/segment"
)

// pollInterval is how often a wait re-asks a stream that has no segmenter
// yet for one (Stream offers nothing to block on before it produces).
const pollInterval = 50 * time.Millisecond

// errNotReady: the stream produced nothing to answer with before the wait
// ended.
var errNotReady = errors.New("play: stream not ready")

// notReady reports whether a renderer's error means "no segment yet".
func notReady(err error) bool {
	return errors.Is(err, hls.ErrNotReady) || errors.Is(err, dash.ErrNotReady)
}

// await calls try with the stream's segmenter and its latest window until
// try returns anything but a not-ready error, and returns that; each retry
// waits for the next window. It gives up with errNotReady when ctx ends.
// try is not called while the stream has no segmenter.
func await[T any](ctx context.Context, st Stream, try func(*segment.Segmenter, *segment.Window) (T, error)) (T, error) {
	var poll *time.Timer
	defer func() {
		if poll != nil {
			poll.Stop()
		}
	}()
	for {
		var changed <-chan struct{}
		if sg := st.Segmenter(); sg != nil {
			w := sg.Window()
			v, err := try(sg, w)
			if !notReady(err) && !errors.Is(err, errNotReady) {
				return v, err
			}
			changed = w.Changed()
		} else {
			if poll == nil {
				poll = time.NewTimer(pollInterval)
			} else {
				poll.Reset(pollInterval)
			}
			changed = nil
		}
		var tick <-chan time.Time
		if poll != nil && changed == nil {
			tick = poll.C
		}
		select {
		case <-changed:
		case <-tick:
		case <-ctx.Done():
			var zero T
			return zero, errNotReady
		}
	}
}
