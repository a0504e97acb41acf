package media

import (
	"context"
	"sync/atomic"
)

// InputStats counts what one input (a pull or a publishing connection)
// received. The input's goroutine writes it; anybody may read it at any
// time. Bitrate is the reader's business: sample Bytes twice and divide.
type InputStats struct {
	Bytes  atomic.Uint64 // bytes received, protocol overhead included where the input sees it
	Frames atomic.Uint64 // frames written to the sink
	Errors atomic.Uint64 // malformed or unusable units dropped
}

type inputStatsKey struct{}

// WithInputStats returns a context that carries s to a Puller, which
// counts into it. A Puller serves every input of its scheme at once, so the
// counters of one pull travel with that pull's context.
func WithInputStats(ctx context.Context, s *InputStats) context.Context {
	return context.WithValue(ctx, inputStatsKey{}, s)
}

// InputStatsFrom returns the counters ctx carries, or fresh ones that
// nobody reads when it carries none, so callers can always count.
func InputStatsFrom(ctx context.Context) *InputStats {
	if s, ok := ctx.Value(inputStatsKey{}).(*InputStats); ok && s != nil {
		return s
	}
	return &InputStats{}
}
