package stream

import (
	"sync/atomic"

	"streamhive/media"
)

// grant is the sink handed to the input that feeds the stream. It forwards
// to the stream's feed until it is revoked; after that, writes are dropped,
// so the last frames of an input that is failing or being replaced never
// interleave with its successor's. (The input's puller counts what it
// delivers into the input's media.InputStats.)
//
// WriteFrame runs on the input's goroutine, revoke on the stream actor's:
// revoked is atomic. A frame that races with revoke may still pass; the
// feed (the stream's hub) enforces a hard cut by revoking its own writer.
type grant struct {
	feed    media.Sink // nil: no media plane yet, frames are dropped
	revoked atomic.Bool
}

var _ media.Sink = (*grant)(nil)

// WriteFrame implements media.Sink.
func (g *grant) WriteFrame(f *media.Frame) {
	if g.revoked.Load() || g.feed == nil {
		return
	}
	g.feed.WriteFrame(f)
}

func (g *grant) revoke() { g.revoked.Store(true) }
