package hlspull

import (
	"context"
	"time"

	"streamhive/media"
)

// maxDrift is how far a frame may be from its due time before the pacer
// takes it as a new time base (an EXT-X-DISCONTINUITY with a timestamp
// jump, or an origin that fell far behind) instead of waiting or
// bursting to catch up.
const maxDrift = 10 * time.Second

// pacer writes frames to sink at real-time pace: frame by frame, each at
// the time of the first plus its DTS distance from the first. A segment
// arrives whole, and writing its frames at once would hand the stream a
// burst every target duration. Used by one goroutine.
type pacer struct {
	ctx   context.Context // the pull's lifetime: WriteFrame has no other way to learn it
	sink  media.Sink
	timer *time.Timer

	started bool
	start   time.Time     // wall time of base
	base    time.Duration // DTS written at start
}

func newPacer(ctx context.Context, sink media.Sink) *pacer {
	t := time.NewTimer(time.Hour)
	t.Stop()
	return &pacer{ctx: ctx, sink: sink, timer: t}
}

// WriteFrame implements media.Sink: it waits until f is due, then writes
// it. Once the pull's context is done, frames are dropped.
func (p *pacer) WriteFrame(f *media.Frame) {
	now := time.Now()
	if !p.started {
		p.started, p.start, p.base = true, now, f.DTS
	}
	wait := p.start.Add(f.DTS - p.base).Sub(now)
	if wait > maxDrift || wait < -maxDrift {
		p.start, p.base, wait = now, f.DTS, 0
	}
	if wait > 0 {
		p.timer.Reset(wait)
		select {
		case <-p.ctx.Done():
			p.timer.Stop()
			return
		case <-p.timer.C:
		}
	}
	if p.ctx.Err() == nil {
		p.sink.WriteFrame(f)
	}
}
