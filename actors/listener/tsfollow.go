package listener

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"streamhive/media/segment"
)

// tsStall ends a viewer whose stream publishes nothing for this long: a
// player reconnects, which beats a silent connection.
const tsStall = 10 * time.Second

// errNoKeyframe: the stream has no part that starts with a keyframe.
var errNoKeyframe = errors.New("the stream has no keyframe yet")

// tsPos is the next part a follower sends.
type tsPos struct {
	msn  uint64
	part int
}

// tsFollower writes a stream's shared MPEG-TS parts to one viewer, as
// gateway/play's continuous MPEG-TS does: from the latest keyframe on,
// the parts concatenated, nothing muxed again.
type tsFollower struct {
	parts TSParts
	// again finds the stream's parts anew when its segmenter has ended
	// (the stream actor restarted); an error ends the viewer.
	again func(ctx context.Context) (TSParts, error)
	sent  func(n int) // the bytes of each part written
}

// follow writes parts until ctx ends, a write fails, or the stream ends
// or stalls; it returns why.
func (f *tsFollower) follow(ctx context.Context, w io.Writer) error {
	pos, err := f.start(ctx)
	if err != nil {
		return err
	}
	for ctx.Err() == nil {
		win := f.parts.Window()
		if p := win.Part(pos.msn, pos.part); p != nil {
			ts := p.MPEGTS()
			if _, err := w.Write(ts); err != nil {
				return fmt.Errorf("viewer: %w", err)
			}
			f.sent(len(ts))
			pos.part++
			continue
		}
		if win.Segment(pos.msn) != nil { // finished: its parts are all sent
			pos = tsPos{pos.msn + 1, 0}
			continue
		}
		if len(win.Segments) > 0 && pos.msn < win.Segments[0].MSN { // left the window under us
			if pos, err = startPos(win); err != nil {
				return err
			}
			continue
		}
		if pos, err = f.wait(ctx, pos); err != nil {
			return err
		}
	}
	return ctx.Err()
}

// start waits, up to tsStall, for a part that starts with a keyframe.
func (f *tsFollower) start(ctx context.Context) (tsPos, error) {
	ctx, cancel := context.WithTimeout(ctx, tsStall)
	defer cancel()
	for {
		win := f.parts.Window()
		if pos, err := startPos(win); err == nil {
			return pos, nil
		}
		if err := f.parts.Wait(ctx, win.NextMSN(), lastPart(win)+1); err != nil && !errors.Is(err, segment.ErrTooFarAhead) {
			return tsPos{}, fmt.Errorf("waiting for a keyframe: %w", err)
		}
	}
}

// lastPart is the index of the in-progress segment's last part; -1 when
// it has none.
func lastPart(w *segment.Window) int {
	if w.Partial == nil {
		return -1
	}
	return len(w.Partial.Parts) - 1
}

// wait blocks, up to tsStall, for the part at pos, and returns where to
// go on: pos, the latest keyframe of a window pos fell out of, or that of
// the stream's new segmenter after a restart.
func (f *tsFollower) wait(ctx context.Context, pos tsPos) (tsPos, error) {
	wctx, cancel := context.WithTimeout(ctx, tsStall)
	defer cancel()
	err := f.parts.Wait(wctx, pos.msn, pos.part)
	switch {
	case err == nil:
		return pos, nil
	case errors.Is(err, segment.ErrTooFarAhead):
		return startPos(f.parts.Window())
	case errors.Is(err, segment.ErrClosed):
		parts, err := f.again(wctx)
		if err != nil {
			return pos, fmt.Errorf("stream ended: %w", err)
		}
		if parts.Window() == f.parts.Window() {
			return pos, errors.New("stream ended")
		}
		f.parts = parts
		return f.start(ctx)
	case ctx.Err() != nil:
		return pos, ctx.Err()
	}
	return pos, fmt.Errorf("stream stalled: %w", err)
}

// startPos finds the latest part that starts with a keyframe.
func startPos(w *segment.Window) (tsPos, error) {
	msn, part, ok := w.LatestKeyframePart()
	if !ok {
		return tsPos{}, errNoKeyframe
	}
	return tsPos{msn, part}, nil
}
