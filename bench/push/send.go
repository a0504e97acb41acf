package main

import (
	"context"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"streamhive/media/hub"
	"streamhive/media/mediatest"
	"streamhive/protocols/rtmp"
	"streamhive/protocols/udp"
)

// result is one measured window.
type result struct {
	cpu     float64 // percent of one core
	mbits   float64 // sent by all targets together
	dropped uint64  // frames the targets' consumers lost
}

// warmup lets connections settle and the GOP cache burst pass before the
// window opens.
const warmup = 2 * time.Second

// measure feeds the clip into a hub at real-time pace, pushes it to addrs
// and returns what the window cost.
func measure(proto string, n int, addrs []string, window time.Duration) (result, error) {
	clip, err := mediatest.LoadClip()
	if err != nil {
		return result{}, err
	}
	h := hub.New(hub.Options{})
	w := h.NewWriter()
	h.SetTracks(clip.Tracks)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { feed(ctx, w, clip, warmup+window+time.Second) })

	var sent atomic.Uint64
	consumers := make([]*hub.Consumer, n)
	for i := range n {
		c := h.Subscribe()
		consumers[i] = c
		wg.Go(func() {
			defer c.Close()
			if proto == "rtmp" {
				p := &rtmp.Pusher{}
				_ = p.Push(ctx, "rtmp://"+addrs[i]+"/live/bench", nil, c, &sent)
				return
			}
			_ = udp.Pusher{}.Push(ctx, "udp://"+addrs[i], nil, c, &sent)
		})
	}
	time.Sleep(warmup)
	cpu0, bytes0, t0 := cpuTime(), sent.Load(), time.Now()
	time.Sleep(window)
	cpu1, bytes1, el := cpuTime(), sent.Load(), time.Since(t0)
	var dropped uint64
	for _, c := range consumers {
		dropped += c.Dropped()
	}
	cancel()
	h.Close()
	wg.Wait()
	return result{
		cpu:     100 * float64(cpu1-cpu0) / float64(el),
		mbits:   float64(bytes1-bytes0) * 8 / el.Seconds() / 1e6,
		dropped: dropped,
	}, nil
}

// feed writes the clip, looped, at the pace of its timestamps.
func feed(ctx context.Context, w *hub.Writer, clip *mediatest.Clip, d time.Duration) {
	start := time.Now()
	for _, f := range clip.Loop(d) {
		if wait := time.Until(start.Add(f.DTS)); wait > 0 {
			select {
			case <-ctx.Done():
				return
			case <-time.After(wait):
			}
		}
		w.WriteFrame(f)
	}
}

// cpuTime is this process's user + system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
