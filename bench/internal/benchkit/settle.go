package benchkit

import (
	"context"
	"fmt"
	"time"
)

// Settling says when a server's memory counts as steady: after a stream
// starts, its window of segments fills for a dozen seconds, and a Go heap
// then takes a while longer to reach its steady size, so a figure read
// earlier undercounts memory and charges the growth's page faults to CPU.
// Steady: RSS grew less than Growth over the last Span, at least AtLeast
// and at most AtMost after the start.
type Settling struct {
	AtLeast, AtMost, Span time.Duration
	Growth                float64
}

// DefaultSettling suits 2 s segments in a window of 6 (both StreamHive's and
// the MediaMTX configuration the benches give).
var DefaultSettling = Settling{AtLeast: 14 * time.Second, AtMost: 120 * time.Second, Span: 10 * time.Second, Growth: 0.01}

// Settle waits until pid's RSS is steady by s, counting from since, and
// returns how long after since that was (s.AtMost: never). With no pid it
// waits s.AtLeast.
func Settle(ctx context.Context, pid int, since time.Time, s Settling) (time.Duration, error) {
	var rss []int64 // one a second
	span := int(s.Span / time.Second)
	for {
		if pid > 0 {
			_, r, err := ReadProc(pid)
			if err != nil {
				return 0, fmt.Errorf("reading the server's /proc entry: %w", err)
			}
			rss = append(rss, r)
		}
		elapsed := time.Since(since)
		if elapsed >= s.AtMost || elapsed >= s.AtLeast && Steady(rss, span, s.Growth) {
			return elapsed, nil
		}
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-time.After(time.Second):
		}
	}
}

// Steady reports whether the last value of rss is within growth of the one
// span readings before it (no readings: trivially steady).
func Steady(rss []int64, span int, growth float64) bool {
	if len(rss) == 0 {
		return true
	}
	if len(rss) <= span {
		return false
	}
	last, then := rss[len(rss)-1], rss[len(rss)-1-span]
	return float64(last) <= float64(then)*(1+growth)
}
