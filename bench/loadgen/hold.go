package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"streamhive/bench/internal/rtmppub"
)

// ErrHoldFailed is a hold whose checks did not all pass (the table says
// which).
var ErrHoldFailed = errors.New("loadgen: the hold failed its checks")

// Limits on what the hold reads from the server.
const (
	apiPollEvery = time.Second
	maxAPIBody   = 64 << 20 // a list of every stream with its stats
)

// runHold is -hold: N publishers held for o.hold while the Control API and
// every stream's media playlist are polled, each poll checked (holdcheck.go).
// It returns ErrHoldFailed after printing the table when a check fails.
func runHold(ctx context.Context, o options, smp *rtmppub.Sample, dir string, stdout io.Writer) error {
	n := o.counts[0]
	runDir := filepath.Join(dir, fmt.Sprintf("hold-%d", n))
	if err := os.MkdirAll(runDir, 0o755); err != nil {
		return err
	}
	t := externalTarget(o.extHTTP, o.extRTMP, o.extPID)
	if o.extHTTP == "" {
		var err error
		if t, err = startStreamhive(ctx, o.bin, runDir, n, ""); err != nil {
			return err
		}
		defer t.Stop()
	}
	load0 := loadAvg()
	v, err := hold(ctx, t, load{Streams: n, Viewers: o.viewers, Warmup: o.warmup, Sample: smp}, o.hold)
	if err != nil {
		if t.log != "" {
			err = fmt.Errorf("%w\n%s log:\n%s", err, t.Name, tail(t.log))
		}
		return err
	}
	var out strings.Builder
	fmt.Fprintf(&out, "\nloadgen -hold %v -n %d -viewers %d (sample %s H.264 %s + AAC, loop %v; %v of warm-up)\n\n",
		o.hold, n, o.viewers, o.spec.Size, o.spec.Bitrate, smp.Loop, o.warmup)
	writeVerdict(&out, v)
	fmt.Fprintf(&out, "\nmachine: %d CPUs, load average %s at start, %s at end\n", runtime.NumCPU(), load0, loadAvg())
	if _, err := io.WriteString(stdout, out.String()); err != nil {
		return err
	}
	if !v.serverOK() || !v.loadOK() {
		return ErrHoldFailed
	}
	return nil
}

// hold publishes l, waits until every stream is playable and l.Warmup more,
// then polls for d and returns the verdict.
func hold(ctx context.Context, t *target, l load, d time.Duration) (verdict, error) {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer wg.Wait()
	defer cancel()
	conns := l.Streams*(l.Viewers+2) + 8
	client := &http.Client{
		Timeout:   10 * time.Second,
		Transport: &http.Transport{MaxIdleConns: conns, MaxIdleConnsPerHost: conns, DisableCompression: true},
	}
	l.Health = make([]*rtmppub.Health, l.Streams)
	for i := range l.Health {
		l.Health[i] = new(rtmppub.Health)
	}
	ready, pubErrs, err := publishAll(ctx, &wg, t, l, client)
	if err != nil {
		return verdict{}, err
	}
	notReady := 0
	for _, r := range ready {
		if r <= 0 {
			notReady++
		}
	}
	slog.Info("hold: streams playable", "ready", l.Streams-notReady, "of", l.Streams)
	if !sleep(ctx, l.Warmup) {
		return verdict{}, ctx.Err()
	}

	c := newHoldCheck()
	names := make([]string, l.Streams)
	for i := range names {
		names[i] = streamName(i + 1)
	}
	if err := pollAPI(ctx, client, t, names, c); err != nil { // the baseline
		return verdict{}, err
	}
	pctx, stopPolls := context.WithCancel(ctx)
	var polls sync.WaitGroup
	for _, name := range names {
		polls.Go(func() { pollPlaylist(pctx, client, t.Master(name), name, c) })
	}
	var vc counters
	for j := range l.Streams * l.Viewers {
		v := &viewer{client: client, master: t.Master(names[j%l.Streams]), c: &vc}
		polls.Go(func() { v.run(pctx) })
	}
	server0, _ := readProc(t.PID)
	self0, _ := readProc(os.Getpid())
	slog.Info("hold: polling", "for", d)
	end := time.Now().Add(d)
	for time.Now().Before(end) {
		if !sleep(ctx, min(apiPollEvery, time.Until(end))) {
			break
		}
		if err := pollAPI(ctx, client, t, names, c); err != nil && ctx.Err() == nil {
			slog.Warn("hold: API poll", "err", err.Error())
			c.apiPoll(names, nil) // every stream lost on this poll
		}
	}
	stopPolls()
	polls.Wait()
	server1, _ := readProc(t.PID)
	self1, _ := readProc(os.Getpid())
	if ctx.Err() != nil {
		return verdict{}, ctx.Err()
	}
	pubs := make([]publisherHealth, l.Streams)
	for i, h := range l.Health {
		pubs[i] = publisherHealth{Late: h.Late(), Blocked: h.Blocked()}
	}
	v := c.verdict(l.Streams, notReady, len(pubErrs), d, pubs)
	if t.PID > 0 {
		v.Server, _ = usageOf([]procSample{server0, server1})
	}
	v.Client, _ = usageOf([]procSample{self0, self1})
	return v, nil
}

// apiList is the part of the streams list the hold reads.
type apiList struct {
	Streams []struct {
		Name  string `json:"name"`
		Stats *struct {
			Alive      bool   `json:"alive"`
			LastDTSAgo *int64 `json:"last_dts_ago"`
			Inputs     []struct {
				Errors int64 `json:"errors"`
			} `json:"inputs"`
			Packaging *struct {
				Frames           int64 `json:"frames"`
				QueueOverflowed  int64 `json:"queue_overflowed"`
				SegmenterDropped int64 `json:"segmenter_dropped"`
				MuxErrors        int64 `json:"mux_errors"`
			} `json:"packaging"`
		} `json:"stats"`
	} `json:"streams"`
}

// pollAPI lists every stream's stats once and hands them to c.
func pollAPI(ctx context.Context, client *http.Client, t *target, names []string, c *holdCheck) error {
	if t.API == "" {
		return errors.New("loadgen: -hold needs a server with StreamHive's Control API")
	}
	u := t.API + "/streamer/api/v3/streams?select=name,stats&limit=" + strconv.Itoa(len(names)+1)
	resp, err := request(ctx, client, u)
	if err != nil {
		return err
	}
	defer func() { _ = resp.Body.Close() }()
	var list apiList
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxAPIBody)).Decode(&list); err != nil {
		return fmt.Errorf("loadgen: %s: %w", u, err)
	}
	got := make(map[string]apiStream, len(list.Streams))
	for _, s := range list.Streams {
		if s.Stats == nil {
			continue
		}
		a := apiStream{Alive: s.Stats.Alive, LastFrameAgo: frameGapBar + time.Second}
		if s.Stats.LastDTSAgo != nil {
			a.LastFrameAgo = time.Duration(*s.Stats.LastDTSAgo) * time.Millisecond
		}
		for _, in := range s.Stats.Inputs {
			a.Lost += in.Errors
		}
		if p := s.Stats.Packaging; p != nil {
			a.Lost += p.QueueOverflowed + p.SegmenterDropped + p.MuxErrors
			a.Packaged = p.Frames
		}
		got[s.Name] = a
	}
	c.apiPoll(names, got)
	return nil
}

// pollPlaylist reads one stream's media playlist every target duration,
// from a random offset so that the streams' polls spread, and reports each
// read to c.
func pollPlaylist(ctx context.Context, client *http.Client, master, name string, c *holdCheck) {
	media, err := mediaURL(ctx, client, master)
	if err != nil {
		if ctx.Err() == nil {
			c.playlistPoll(name, time.Now(), mediaPlaylist{}, err)
		}
		return
	}
	every := 2 * time.Second
	if !sleep(ctx, rand.N(every)) {
		return
	}
	for {
		pl, err := fetchMedia(ctx, client, media)
		if ctx.Err() != nil {
			return
		}
		c.playlistPoll(name, time.Now(), pl, err)
		if err == nil && pl.Target > 0 {
			every = pl.Target
		}
		if !sleep(ctx, every) {
			return
		}
	}
}
