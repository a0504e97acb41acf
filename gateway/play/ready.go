package play

import (
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
// waits for the next window (or, while the stream has no segmenter, for the
// next poll). It gives up with errNotReady after d or when the Handler
// closes. try is not called while the stream has no segmenter.
//
// The first try costs no timer or context: a stream that is producing is
// answered on the spot.
func await[T any](h *Handler, d time.Duration, st Stream, try func(*segment.Segmenter, *segment.Window) (T, error)) (T, error) {
	var deadline, poll *time.Timer
	defer func() {
		for _, t := range []*time.Timer{deadline, poll} {
			if t != nil {
				t.Stop()
			}
		}
	}()
	for {
		var changed <-chan struct{}
		var tick <-chan time.Time
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
			tick = poll.C
		}
		if deadline == nil {
			deadline = time.NewTimer(d)
		}
		select {
		case <-changed:
		case <-tick:
		case <-deadline.C:
			var zero T
			return zero, errNotReady
		case <-h.ctx.Done():
			var zero T
			return zero, errNotReady
		}
	}
}
