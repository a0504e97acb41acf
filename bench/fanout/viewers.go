package main

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"streamhive/bench/internal/benchkit"
	"streamhive/media"
)

// viewers are n HLS players (benchkit.PlayHLS), viewer i on urls[i%len]
// once started: a viewer that fails comes back a second later, as a
// player would, and each failure counts.
type viewers struct {
	ctx    context.Context
	urls   []string
	got    []media.InputStats
	errs   []atomic.Int64
	cancel context.CancelFunc
	wg     sync.WaitGroup
	first  atomic.Pointer[error]
}

func newViewers(ctx context.Context, n int, urls []string) *viewers {
	ctx, cancel := context.WithCancel(ctx)
	return &viewers{ctx: ctx, urls: urls, got: make([]media.InputStats, n), errs: make([]atomic.Int64, n), cancel: cancel}
}

// start starts viewers from to to-1.
func (v *viewers) start(from, to int) {
	for i := from; i < to; i++ {
		v.wg.Go(func() { v.play(v.ctx, i, v.urls[i%len(v.urls)]) })
	}
}

// playing waits up to d until viewers 0 to n-1 have each downloaded a
// segment.
func (v *viewers) playing(n int, d time.Duration) error {
	for deadline := time.Now().Add(d); ; time.Sleep(100 * time.Millisecond) {
		waiting := 0
		for i := range n {
			if v.got[i].Frames.Load() == 0 {
				waiting++
			}
		}
		if waiting == 0 {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%d of the first %d viewers have no segment after %v", waiting, n, d)
		}
	}
}

func (v *viewers) play(ctx context.Context, i int, url string) {
	for ctx.Err() == nil {
		err := benchkit.PlayHLS(ctx, url, &v.got[i])
		if err == nil {
			return
		}
		v.errs[i].Add(1)
		if v.first.CompareAndSwap(nil, &err) {
			slog.Warn("viewer failed", "viewer", i, "url", url, "err", err)
		}
		select {
		case <-ctx.Done():
		case <-time.After(time.Second):
		}
	}
}

func (v *viewers) stop() {
	v.cancel()
	v.wg.Wait()
}

// snapshot is the viewers' counters at one moment.
type snapshot struct {
	bytes    uint64
	segments []uint64
	errs     []int64
}

func (v *viewers) snapshot() snapshot {
	s := snapshot{segments: make([]uint64, len(v.got)), errs: make([]int64, len(v.got))}
	for i := range v.got {
		s.bytes += v.got[i].Bytes.Load()
		s.segments[i] = v.got[i].Frames.Load()
		s.errs[i] = v.errs[i].Load()
	}
	return s
}

// outcome is what the viewers got in a window.
type outcome struct {
	recvMbps float64 // per viewer, mean
	failed   int     // viewers with an error, or no new segment, in the window
	silent   int     // of those, viewers with no new segment
	errors   int64   // failed requests in all
	client   float64 // the viewers' process's CPU, % of one core
}

func (v *viewers) outcome(a, b snapshot, d time.Duration, clientCPU float64) outcome {
	o := outcome{recvMbps: float64(b.bytes-a.bytes) * 8 / d.Seconds() / 1e6 / float64(len(v.got)), client: clientCPU}
	for i := range v.got {
		e := b.errs[i] - a.errs[i]
		o.errors += e
		silent := b.segments[i] == a.segments[i]
		if silent {
			o.silent++
		}
		if silent || e > 0 {
			o.failed++
		}
	}
	return o
}
