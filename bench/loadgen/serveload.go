package main

import (
	"context"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// serveWindow is what one serving load measured over its window.
type serveWindow struct {
	Requests  int64   // answered 200 and read whole
	Errors    int64   // any other answer, or a broken connection
	Bytes     int64   // body bytes of the 200s
	Seconds   float64 // the window's length
	ServerCPU float64 // % of one core
	ClientCPU float64 // % of one core: this program
}

// Gbits is the body rate in Gbit/s.
func (w serveWindow) Gbits() float64 { return float64(w.Bytes) * 8 / w.Seconds / 1e9 }

// Rate is requests answered per second.
func (w serveWindow) Rate() float64 { return float64(w.Requests) / w.Seconds }

// PerCore scales rate, measured in this window, to 100 % of a server core.
func (w serveWindow) PerCore(rate float64) float64 { return ratio(rate*100, w.ServerCPU) }

// MeanBody is the mean body size of an answer, in bytes.
func (w serveWindow) MeanBody() float64 {
	if w.Requests == 0 {
		return 0
	}
	return float64(w.Bytes) / float64(w.Requests)
}

// hammer runs conns connections to addr, each requesting path() back to
// back, and measures one window after warmup: the server (pid) and this
// program's CPU, the answers and their bytes.
func hammer(ctx context.Context, addr string, path func(int) string, conns int, warmup, window time.Duration, pid int) (serveWindow, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var reqs, errs, bytes atomic.Int64
	var wg sync.WaitGroup
	for i := range conns {
		wg.Go(func() {
			c := newServeConn(addr)
			defer c.close()
			for k := i; ctx.Err() == nil; k++ {
				status, n, err := c.get(path(k))
				if err != nil || status != 200 {
					errs.Add(1)
					continue
				}
				reqs.Add(1)
				bytes.Add(n)
			}
		})
	}
	defer func() { cancel(); wg.Wait() }()
	if !sleep(ctx, warmup) {
		return serveWindow{}, ctx.Err()
	}
	r0, e0, b0 := reqs.Load(), errs.Load(), bytes.Load()
	s0, err := readProc(pid)
	if err != nil {
		return serveWindow{}, err
	}
	c0, err := readProc(os.Getpid())
	if err != nil {
		return serveWindow{}, err
	}
	if !sleep(ctx, window) {
		return serveWindow{}, ctx.Err()
	}
	r1, e1, b1 := reqs.Load(), errs.Load(), bytes.Load()
	s1, err := readProc(pid)
	if err != nil {
		return serveWindow{}, err
	}
	c1, err := readProc(os.Getpid())
	if err != nil {
		return serveWindow{}, err
	}
	took := s1.At.Sub(s0.At)
	return serveWindow{
		Requests: r1 - r0, Errors: e1 - e0, Bytes: b1 - b0,
		Seconds:   took.Seconds(),
		ServerCPU: 100 * float64(s1.CPU-s0.CPU) / float64(took),
		ClientCPU: 100 * float64(c1.CPU-c0.CPU) / float64(c1.At.Sub(c0.At)),
	}, nil
}
