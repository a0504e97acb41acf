package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"streamhive/bench/internal/benchkit"
	"streamhive/media"
)

// settle is the pause between runs, so that the sessions of one run are
// gone before the next one's idle reading matters.
const settle = 3 * time.Second

// row is one run's figures.
type row struct {
	proto       string
	n           int
	base        benchkit.Usage // publisher, no viewers
	with        benchkit.Usage // publisher and n viewers
	recvMbps    float64        // what one viewer received, mean
	failed      int            // viewers that failed at least once or received nothing in the window
	silent      int            // of those, viewers that received no media unit in the window
	loadAverage string         // 1-minute load average after the window
}

// perViewer is the CPU, % of one core, one viewer adds.
func (r row) perViewer() float64 { return (r.with.CPU - r.base.CPU) / float64(r.n) }

// runViewers starts n viewers of proto, gives them the warm-up, measures
// the window and stops them.
func runViewers(ctx context.Context, o options, srv *server, base benchkit.Usage, proto string, n int) (row, error) {
	r := row{proto: proto, n: n, base: base}
	v := viewerKinds[proto]
	vctx, cancel := context.WithCancel(ctx)
	defer cancel()
	got := make([]media.InputStats, n)
	failed := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { failed[i] = retry(vctx, v, srv, &got[i]) })
	}
	time.Sleep(o.warmup)
	before, units := received(got), frames(got)
	start := time.Now()
	u, err := benchkit.Measure(ctx, srv.pid, o.window)
	r.recvMbps = float64(received(got)-before) * 8 / time.Since(start).Seconds() / 1e6 / float64(n)
	r.with, r.loadAverage = u, benchkit.LoadAvg1()
	after := frames(got)
	cancel()
	wg.Wait()
	for i, e := range failed {
		if e == nil && after[i] == units[i] {
			e = errors.New("received no media in the window")
			r.silent++
		}
		if e != nil {
			r.failed++
			if r.failed == 1 {
				slog.Warn("viewer failed", "server", srv.name, "proto", proto, "viewer", i, "err", e)
			}
		}
	}
	time.Sleep(settle)
	return r, err
}

// frames is each viewer's count of media units so far.
func frames(got []media.InputStats) []uint64 {
	out := make([]uint64, len(got))
	for i := range got {
		out[i] = got[i].Frames.Load()
	}
	return out
}

func received(got []media.InputStats) uint64 {
	var t uint64
	for i := range got {
		t += got[i].Bytes.Load()
	}
	return t
}

func writeTable(out *strings.Builder, rows []row) {
	out.WriteString("| protocol | viewers | server CPU, % of one core | CPU per viewer, % | RSS, MiB | received per viewer, Mbit/s | viewers failed (of them silent) | load avg |\n")
	out.WriteString("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n")
	for _, r := range rows {
		fmt.Fprintf(out, "| %s | %d | %.1f | %.3f | %.1f | %.2f | %d (%d) | %s |\n", r.proto, r.n, r.with.CPU, r.perViewer(),
			float64(r.with.RSS)/(1<<20), r.recvMbps, r.failed, r.silent, r.loadAverage)
	}
}
