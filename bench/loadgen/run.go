package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"strconv"
	"sync"
	"time"

	"streamhive/bench/internal/benchkit"
	"streamhive/bench/internal/rtmppub"
)

// load is what one run puts on a server.
type load struct {
	Streams int
	Viewers int           // per stream
	Window  time.Duration // each measurement window
	Warmup  time.Duration // settling time before each window
	Sample  *rtmppub.Sample
	// Health, when set, has one entry per stream that its publisher
	// records its timing into (the hold's check of the load generator).
	Health []*rtmppub.Health
}

// Timing constants of a run.
const (
	idleWindow   = 3 * time.Second        // baseline before anything is published
	readyTimeout = 30 * time.Second       // per stream, from its publish start
	readyPoll    = 100 * time.Millisecond // probe interval for the first segment
	publishRamp  = time.Second            // publishers start spread over this
	viewerRamp   = 2 * time.Second        // viewers start spread over this (one segment)
	sampleEvery  = 500 * time.Millisecond // /proc sampling interval
)

// result is what one run measured.
type result struct {
	Target           string
	Streams, Viewers int
	Ready            []time.Duration // publish start → first segment fetchable, per stream that got there
	Settled          time.Duration   // publish start → server RSS steady (DefaultSettling.AtMost: never)
	NotReady         int             // streams that never became playable
	PubErrors        int             // publishers that failed at any point
	Measured         bool            // whether server CPU/RSS were sampled (its PID is known)
	// Server usage: before publishing; streams only, before the viewers
	// come and after they leave; streams and viewers.
	Idle, Pub, PubAfter, All usage
	Client                   usage         // this program during the "all" window: the load's own cost
	Counts                   counts        // viewer activity during the "all" window
	Window                   time.Duration // its actual length
	AuthAsks                 int64         // requests the auth backend answered (-auth)
}

// runLoad runs one load against t: an idle baseline; N publishers, with a
// probe per stream timing its first playable segment; a window with
// publishers only; M viewers per stream and a window with everything; and,
// with the viewers gone, another publishers-only window. The two
// publishers-only windows bracket the viewers' one, so slow drift (a heap
// still settling, neighbours on a shared machine) cancels out of the
// viewers' share.
func runLoad(ctx context.Context, t *target, l load) (result, error) {
	r := result{Target: t.Name, Streams: l.Streams, Viewers: l.Viewers, Measured: t.PID > 0}
	log := slog.With("server", t.Name, "streams", l.Streams, "viewers", l.Viewers)
	var err error
	if r.Idle, err = measure(ctx, t.PID, idleWindow); err != nil {
		return r, err
	}

	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer wg.Wait()
	defer cancel()
	client := &http.Client{
		Timeout:   10 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: l.Streams*(l.Viewers+1) + 8, DisableCompression: true},
	}

	log.Info("publishing")
	published := time.Now()
	ready, pubErrs, err := publishAll(ctx, &wg, t, l, client)
	if err != nil {
		return r, err
	}
	for _, d := range ready {
		if d > 0 {
			r.Ready = append(r.Ready, d)
		}
	}
	r.NotReady = l.Streams - len(r.Ready)
	log.Info("streams playable", "ready", len(r.Ready), "p50", percentile(r.Ready, 50), "max", percentile(r.Ready, 100))

	// Before the streams-only window the server's memory must stop growing:
	// measuring earlier would charge that growth, and the GC work it brings,
	// to the viewers.
	if r.Settled, err = benchkit.Settle(ctx, t.PID, published, benchkit.DefaultSettling); err != nil {
		return r, fmt.Errorf("%w: %w", ErrServer, err)
	}
	log.Info("memory steady", "after", r.Settled.Round(time.Second))
	if !sleep(ctx, l.Warmup) {
		return r, ctx.Err()
	}
	if r.Pub, err = measure(ctx, t.PID, l.Window); err != nil {
		return r, err
	}
	log.Info("viewers starting", "total", l.Streams*l.Viewers)
	if err := r.watch(ctx, t, l, client); err != nil {
		return r, err
	}
	log.Info("viewers gone")
	if !sleep(ctx, l.Warmup) {
		return r, ctx.Err()
	}
	if r.PubAfter, err = measure(ctx, t.PID, l.Window); err != nil {
		return r, err
	}
	r.PubErrors = len(pubErrs)
	return r, nil
}

// publishAll starts one publisher per stream, spread over publishRamp,
// under wg, and waits until every stream is playable or has given up. It
// returns each stream's time to playable (0: never) and a channel holding
// one error per failed publisher.
func publishAll(ctx context.Context, wg *sync.WaitGroup, t *target, l load, client *http.Client) ([]time.Duration, chan error, error) {
	pubErrs := make(chan error, l.Streams)
	ready := make([]time.Duration, l.Streams)
	var probes sync.WaitGroup
	defer probes.Wait()
	for i := range l.Streams {
		if !sleep(ctx, publishRamp/time.Duration(l.Streams)) {
			return nil, nil, ctx.Err()
		}
		name := streamName(i + 1)
		started := make(chan time.Time, 1)
		// A stream whose publisher failed stops its readiness probe.
		sctx, failed := context.WithCancel(ctx)
		p := &rtmppub.Publisher{Addr: t.RTMP, App: t.App, Key: name, Sample: l.Sample}
		if l.Health != nil {
			p.Health = l.Health[i]
		}
		wg.Go(func() {
			if err := p.Run(ctx, func() { started <- time.Now() }); err != nil {
				slog.Warn("publisher failed", "server", t.Name, "stream", name, "err", err.Error())
				pubErrs <- err
				failed()
			}
		})
		probes.Go(func() {
			defer failed()
			t0 := <-started
			pctx, pcancel := context.WithDeadline(sctx, t0.Add(readyTimeout))
			defer pcancel()
			if at, err := awaitPlayable(pctx, client, t.Master(name), readyPoll); err == nil {
				ready[i] = at.Sub(t0)
			}
		})
	}
	probes.Wait()
	return ready, pubErrs, nil
}

// watch runs M viewers per stream, spread over viewerRamp, measures the
// server and this program over one window after the warm-up, and stops
// the viewers again.
func (r *result) watch(ctx context.Context, t *target, l load, client *http.Client) error {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer wg.Wait()
	defer cancel()
	var c counters
	total := l.Streams * l.Viewers
	for j := range total {
		if !sleep(ctx, viewerRamp/time.Duration(total)) {
			return ctx.Err()
		}
		master := t.Master(streamName(j%l.Streams + 1))
		if t.Tokens {
			master += "?token=viewer-" + strconv.Itoa(j)
		}
		v := &viewer{client: client, master: master, c: &c}
		wg.Go(func() { v.run(ctx) })
	}
	if !sleep(ctx, l.Warmup) {
		return ctx.Err()
	}
	before, t0 := c.snapshot(), time.Now()
	self0, _ := readProc(os.Getpid())
	var err error
	if r.All, err = measure(ctx, t.PID, l.Window); err != nil {
		return err
	}
	r.Counts, r.Window = c.snapshot().sub(before), time.Since(t0)
	if self1, err := readProc(os.Getpid()); err == nil {
		r.Client, _ = usageOf([]procSample{self0, self1})
	}
	return nil
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
