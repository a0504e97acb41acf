package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"sync"
	"time"
)

// load is what one run puts on a server.
type load struct {
	Streams int
	Viewers int           // per stream
	Window  time.Duration // each measurement window
	Warmup  time.Duration // settling time before each window
	Sample  *sample
}

// Timing constants of a run.
const (
	idleWindow   = 3 * time.Second        // baseline before anything is published
	readyTimeout = 30 * time.Second       // per stream, from its publish start
	readyPoll    = 100 * time.Millisecond // probe interval for the first segment
	publishRamp  = time.Second            // publishers start spread over this
	viewerRamp   = 2 * time.Second        // viewers start spread over this (one segment)
	sampleEvery  = 500 * time.Millisecond // /proc sampling interval
	// windowFill is how long streams publish before the streams-only
	// window: both servers keep 6 segments of 2 s, and memory grows until
	// that window is full, so measuring earlier would charge the rest of
	// the growth to the viewers.
	windowFill = 14 * time.Second
)

// result is what one run measured.
type result struct {
	Target           string
	Streams, Viewers int
	Ready            []time.Duration // publish start → first segment fetchable, per stream that got there
	NotReady         int             // streams that never became playable
	PubErrors        int             // publishers that failed at any point
	Measured         bool            // whether server CPU/RSS were sampled (its PID is known)
	Idle, Pub, All   usage           // before publishing; streams only; streams and viewers
	Client           usage           // this program during the "all" window: the load's own cost
	Counts           counts          // viewer activity during the "all" window
	Window           time.Duration   // its actual length
}

// runLoad runs one load against t: an idle baseline, N publishers (and a
// probe per stream timing its first playable segment), a window with
// publishers only, then M viewers per stream and a window with everything.
func runLoad(ctx context.Context, t *target, l load) (result, error) {
	r := result{Target: t.Name, Streams: l.Streams, Viewers: l.Viewers, Measured: t.PID > 0}
	log := slog.With("server", t.Name, "streams", l.Streams, "viewers", l.Viewers)

	idle, err := measure(ctx, t.PID, idleWindow)
	if err != nil {
		return r, err
	}
	r.Idle = idle

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	client := &http.Client{
		Timeout:   10 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: l.Streams*(l.Viewers+1) + 8, DisableCompression: true},
	}
	var wg sync.WaitGroup
	defer wg.Wait()
	defer cancel()

	pubErrs := make(chan error, l.Streams)
	ready := make([]time.Duration, l.Streams)
	var readyWG sync.WaitGroup
	log.Info("publishing")
	for i := range l.Streams {
		if !sleep(ctx, publishRamp/time.Duration(l.Streams)) {
			return r, ctx.Err()
		}
		name := streamName(i + 1)
		started := make(chan time.Time, 1)
		// A stream whose publisher failed stops its readiness probe.
		sctx, failed := context.WithCancel(ctx)
		p := &publisher{addr: t.RTMP, app: t.App, key: name, smp: l.Sample}
		wg.Go(func() {
			if err := p.run(ctx, func() { started <- time.Now() }); err != nil {
				log.Warn("publisher failed", "stream", name, "err", err.Error())
				pubErrs <- err
				failed()
			}
		})
		readyWG.Go(func() {
			defer failed()
			t0 := <-started
			pctx, pcancel := context.WithDeadline(sctx, t0.Add(readyTimeout))
			defer pcancel()
			if at, err := awaitPlayable(pctx, client, t.Master(name), readyPoll); err == nil {
				ready[i] = at.Sub(t0)
			}
		})
	}
	readyWG.Wait()
	for _, d := range ready {
		if d > 0 {
			r.Ready = append(r.Ready, d)
		}
	}
	r.NotReady = l.Streams - len(r.Ready)
	log.Info("streams playable", "ready", len(r.Ready), "p50", percentile(r.Ready, 50), "max", percentile(r.Ready, 100))

	if !sleep(ctx, max(l.Warmup, windowFill)) {
		return r, ctx.Err()
	}
	if r.Pub, err = measure(ctx, t.PID, l.Window); err != nil {
		return r, err
	}

	log.Info("viewers starting", "total", l.Streams*l.Viewers)
	var c counters
	total := l.Streams * l.Viewers
	for j := range total {
		if !sleep(ctx, viewerRamp/time.Duration(total)) {
			return r, ctx.Err()
		}
		v := &viewer{client: client, master: t.Master(streamName(j%l.Streams + 1)), c: &c}
		wg.Go(func() { v.run(ctx) })
	}
	if !sleep(ctx, l.Warmup) {
		return r, ctx.Err()
	}
	before, t0 := c.snapshot(), time.Now()
	self0, _ := readProc(os.Getpid())
	if r.All, err = measure(ctx, t.PID, l.Window); err != nil {
		return r, err
	}
	r.Counts, r.Window = c.snapshot().sub(before), time.Since(t0)
	if self1, err := readProc(os.Getpid()); err == nil {
		r.Client, _ = usageOf([]procSample{self0, self1})
	}
	r.PubErrors = len(pubErrs)
	cancel()
	return r, nil
}

// measure samples pid for d and reduces the samples; pid 0 only waits.
func measure(ctx context.Context, pid int, d time.Duration) (usage, error) {
	if pid <= 0 {
		if !sleep(ctx, d) {
			return usage{}, ctx.Err()
		}
		return usage{}, nil
	}
	var samples []procSample
	end := time.Now().Add(d)
	for {
		s, err := readProc(pid)
		if err != nil {
			return usage{}, fmt.Errorf("%w: reading its /proc entry: %w", ErrServer, err)
		}
		samples = append(samples, s)
		left := time.Until(end)
		if left <= 0 {
			break
		}
		if !sleep(ctx, min(sampleEvery, left)) {
			return usage{}, ctx.Err()
		}
	}
	u, _ := usageOf(samples)
	return u, nil
}
