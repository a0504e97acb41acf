package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"streamhive/bench/internal/benchkit"
)

// window is what one phase measured.
type window struct {
	name      string
	requests  int64 // segments answered 200 and read whole
	errors    int64
	bytes     int64
	seconds   float64
	serverCPU float64 // % of one core
	rss       int64   // the server's, at the end
}

func (w window) rate() float64  { return float64(w.requests) / w.seconds }
func (w window) gbits() float64 { return float64(w.bytes) * 8 / w.seconds / 1e9 }

// perCore scales x, measured in this window, to 100 % of a server core.
func (w window) perCore(x float64) float64 {
	if w.serverCPU <= 0 {
		return 0
	}
	return x * 100 / w.serverCPU
}

// counters are the viewers' running totals.
type counters struct{ reqs, errs, bytes atomic.Int64 }

// measure runs the viewers: the cold pass (each viewer reads every
// segment of its file once, starting at its own), then the hot window.
func measure(ctx context.Context, o options, s *server) (cold, hot window, err error) {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: o.viewers, MaxConnsPerHost: o.viewers, DisableCompression: true}}
	segs, err := segmentsOf(ctx, client, s, o.files)
	if err != nil {
		return window{}, window{}, err
	}
	var c counters
	start := func(ctx context.Context, pass bool) *sync.WaitGroup {
		var wg sync.WaitGroup
		for v := range o.viewers {
			f := v % o.files
			list := segs[f]
			first := (v / o.files) % len(list)
			wg.Go(func() {
				for k := 0; ctx.Err() == nil && (!pass || k < len(list)); k++ {
					n, err := fetch(ctx, client, "http://"+s.addr+"/movies/"+fmt.Sprintf("f%d.mp4/", f)+list[(first+k)%len(list)])
					switch {
					case ctx.Err() != nil:
					case err != nil:
						c.errs.Add(1)
					default:
						c.reqs.Add(1)
						c.bytes.Add(n)
					}
				}
			})
		}
		return &wg
	}
	cold, err = phase(ctx, "cold", s, &c, func() { start(ctx, true).Wait() })
	if err != nil {
		return window{}, window{}, err
	}
	hctx, stop := context.WithCancel(ctx)
	wg := start(hctx, false)
	time.Sleep(time.Second) // warm-up: every viewer running
	hot, err = phase(ctx, "hot", s, &c, func() { time.Sleep(o.window) })
	stop()
	wg.Wait()
	return cold, hot, err
}

// phase measures what the viewers did while during ran.
func phase(ctx context.Context, name string, s *server, c *counters, during func()) (window, error) {
	cpu0, _, err := benchkit.ReadProc(s.pid)
	if err != nil {
		return window{}, err
	}
	r0, e0, b0, t0 := c.reqs.Load(), c.errs.Load(), c.bytes.Load(), time.Now()
	during()
	if err := ctx.Err(); err != nil {
		return window{}, err
	}
	took := time.Since(t0)
	cpu1, rss, err := benchkit.ReadProc(s.pid)
	if err != nil {
		return window{}, err
	}
	return window{
		name: name, requests: c.reqs.Load() - r0, errors: c.errs.Load() - e0, bytes: c.bytes.Load() - b0,
		seconds: took.Seconds(), serverCPU: 100 * float64(cpu1-cpu0) / float64(took), rss: rss,
	}, nil
}

// segmentsOf reads each file's TS playlist (mono.m3u8): its segment names.
func segmentsOf(ctx context.Context, client *http.Client, s *server, files int) ([][]string, error) {
	out := make([][]string, files)
	for f := range files {
		pl, err := get(ctx, client, fmt.Sprintf("http://%s/movies/f%d.mp4/mono.m3u8", s.addr, f))
		if err != nil {
			return nil, err
		}
		for _, u := range benchkit.PlaylistURIs(pl) {
			if strings.HasSuffix(u, ".ts") {
				out[f] = append(out[f], u)
			}
		}
		if len(out[f]) == 0 {
			return nil, fmt.Errorf("file %d: no segments in\n%s", f, pl)
		}
	}
	return out, nil
}

// fetch reads url's body whole and returns its length.
func fetch(ctx context.Context, client *http.Client, url string) (int64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	defer func() { _ = resp.Body.Close() }()
	n, err := io.Copy(io.Discard, resp.Body)
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("%s: %s", url, resp.Status)
	}
	return n, err
}

func get(ctx context.Context, client *http.Client, url string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer func() { _ = resp.Body.Close() }()
	b, err := io.ReadAll(resp.Body)
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("%s: %s", url, resp.Status)
	}
	return b, err
}
