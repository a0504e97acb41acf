package main

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"streamhive/bench/internal/benchkit"
)

// idleWindow is how long the server is measured before publishing.
const (
	idleWindow = 3 * time.Second
	settleMore = 60 * time.Second // the most a run waits for steady memory past the warm-up
)

// row is one run's figures.
type row struct {
	proto        string
	n            int
	idleCPU, cpu float64 // % of one core
	idleRSS, rss int64   // bytes, mean VmRSS
	sentMbps     float64 // what the publishers sent, all together
	recvMbps     float64 // what the server's inputs counted, all together
	failed       int     // publishers that ended with an error
	live         int     // streams alive with video and audio after the window
	clientDrops  int64   // RTP packets the RTSP client's write queue refused
	nominalMbps  float64 // what n publishers should send: n × the sample's rate in this protocol's form
	loadStart    string  // 1-minute load average when the server started
	loadEnd      string  // and after the window
	settled      time.Duration
	steady       bool // publish start → RSS steady, when the window began
}

// settling waits at least the warm-up and until RSS is steady: a window
// measured while the segment windows still fill undercounts memory and
// charges first-touch page faults to CPU. It gives up settleMore after the
// warm-up.
func settling(o options) benchkit.Settling {
	s := benchkit.DefaultSettling
	s.AtLeast = max(o.warmup, s.AtLeast)
	s.AtMost = s.AtLeast + settleMore
	return s
}

// runOne starts a server with n streams fed by proto, measures it idle,
// starts n publishers, waits warmup, measures the window, and stops.
func runOne(ctx context.Context, o options, smp samples, dir, proto string, n int) (row, error) {
	r := row{proto: proto, n: n, nominalMbps: float64(n) * smp.mbps(proto), loadStart: benchkit.LoadAvg1()}
	srv, err := startServer(ctx, o, smp, filepath.Join(dir, fmt.Sprintf("%s-%d", proto, n)), proto, n)
	if err != nil {
		return r, err
	}
	defer srv.stop()
	idle, err := benchkit.Measure(ctx, srv.pid, idleWindow)
	if err != nil {
		return r, err
	}
	r.idleCPU, r.idleRSS = idle.CPU, idle.RSS
	pctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	sent := make([]atomic.Int64, n)
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			if err := srv.publish(pctx, i, &sent[i]); err != nil {
				errs <- fmt.Errorf("s%d: %w", i+1, err)
			}
		})
	}
	published := time.Now()
	settle := settling(o)
	if r.settled, err = benchkit.Settle(ctx, srv.pid, published, settle); err != nil {
		cancel()
		wg.Wait()
		return r, err
	}
	r.steady = r.settled < settle.AtMost
	before := sum(sent)
	recv0, _ := srv.snapshot()
	start := time.Now()
	profiled := srv.profileCPU(ctx, o.window)
	u, err := benchkit.Measure(ctx, srv.pid, o.window)
	took := time.Since(start)
	srv.profileHeap(ctx, profiled)
	r.sentMbps = float64(sum(sent)-before) * 8 / took.Seconds() / 1e6
	recv1, live := srv.snapshot()
	r.recvMbps = float64(recv1-recv0) * 8 / took.Seconds() / 1e6
	r.live = live
	cancel()
	wg.Wait()
	close(errs)
	for e := range errs {
		r.failed++
		slog.Warn("publisher failed", "err", e)
	}
	r.cpu, r.rss = u.CPU, u.RSS
	r.clientDrops = srv.drops.Load()
	r.loadEnd = benchkit.LoadAvg1()
	return r, err
}

func sum(xs []atomic.Int64) int64 {
	var t int64
	for i := range xs {
		t += xs[i].Load()
	}
	return t
}

// profileCPU starts the server's CPU profile over window when it runs with
// -pprof; the channel yields its outcome (closed at once without).
func (s *server) profileCPU(ctx context.Context, window time.Duration) <-chan error {
	done := make(chan error, 1)
	if s.prof == nil {
		close(done)
		return done
	}
	go func() { done <- s.prof.cpu(ctx, window) }()
	return done
}

// profileHeap waits for the CPU profile, then takes the heap profile.
func (s *server) profileHeap(ctx context.Context, cpu <-chan error) {
	if err := <-cpu; err != nil {
		slog.Warn("cpu profile", "err", err)
	}
	if s.prof == nil {
		return
	}
	if err := s.prof.heap(ctx); err != nil {
		slog.Warn("heap profile", "err", err)
	}
}
