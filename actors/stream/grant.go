package stream

import (
	"sync/atomic"

	"streamhive/media"
)

// InputCounters counts what one input delivered. The input's data-plane
// goroutine adds to it through its grant; anyone may read it. It is safe
// for concurrent use.
type InputCounters struct {
	bytes  atomic.Int64
	frames atomic.Int64
}

// Load returns the bytes and frames counted so far. A nil *InputCounters
// counts nothing.
func (c *InputCounters) Load() (bytes, frames int64) {
	if c == nil {
		return 0, 0
	}
	return c.bytes.Load(), c.frames.Load()
}

// grant is the sink handed to the input that feeds the stream. It counts
// what passes and forwards it to the stream's feed until it is revoked;
// after that, writes are dropped, so the last frames of an input that is
// failing or being replaced never interleave with its successor's.
//
// WriteFrame runs on the input's goroutine, revoke on the stream actor's:
// revoked is atomic. A frame that races with revoke may still pass; the
// feed (the hub, once it exists) enforces a hard cut by revoking its own
// writer.
type grant struct {
	feed     media.Sink // nil: no media plane yet, frames are counted and dropped
	counters *InputCounters
	revoked  atomic.Bool
}

var _ media.Sink = (*grant)(nil)

// WriteFrame implements media.Sink.
func (g *grant) WriteFrame(f *media.Frame) {
	if g.revoked.Load() {
		return
	}
	g.counters.bytes.Add(int64(f.Size()))
	g.counters.frames.Add(1)
	if g.feed != nil {
		g.feed.WriteFrame(f)
	}
}

func (g *grant) revoke() { g.revoked.Store(true) }
