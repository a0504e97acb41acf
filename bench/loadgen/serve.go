package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"streamhive/bench/internal/benchkit"
	"streamhive/bench/internal/rtmppub"
)

// The serving mode (-serve) measures what one server core answers: the
// server pinned to one CPU, this program on the others. One stream is
// published (use -bitrate 8M for segments of about 2 MB), and then, with
// -conns connections, (1) its newest complete LL-HLS segments are fetched
// back to back, and (2) its LL-HLS media playlist (with parts) is reloaded
// back to back, without blocking directives. The same loads run against
// a bare fasthttp handler answering the same bytes from memory (the
// ceiling) and, with MEDIAMTX, mediamtx in LL-HLS mode.

// serveReady bounds how long a published stream takes to list
// serveMinSegments segments.
const serveReady = 40 * time.Second

// serveMinSegments: the first segment may be short; the load starts once
// the playlist lists full ones.
const serveMinSegments = 3

// serveResult is one server's serving figures.
type serveResult struct {
	Server        string
	Segments      serveWindow
	Playlists     serveWindow
	PlaylistBytes int // one playlist's size as loaded
}

// runServe runs the serving mode and writes its table to stdout.
func runServe(ctx context.Context, o options, args []string, smp *rtmppub.Sample, dir string, stdout io.Writer) error {
	if err := benchkit.PinSelfAway(o.serveCPU); err != nil {
		return err
	}
	cpu := fmt.Sprint(o.serveCPU)
	load0 := loadAvg()
	var results []serveResult
	sh, pl, seg, err := serveStream(ctx, o, smp, filepath.Join(dir, "streamhive"), "streamhive")
	if err != nil {
		return err
	}
	results = append(results, sh)
	bareDir := filepath.Join(dir, "bare")
	if err := os.MkdirAll(bareDir, 0o755); err != nil {
		return err
	}
	bt, err := startBare(ctx, cpu, bareDir, pl, seg)
	if err != nil {
		return err
	}
	bare, err := serveLoads(ctx, o, bt, "bare fasthttp", func() []string { return []string{bareSegment} }, barePlaylist, len(pl))
	bt.Stop()
	if err != nil {
		return err
	}
	results = append(results, bare)
	if o.mediamtx != "" {
		mt, _, _, err := serveStream(ctx, o, smp, filepath.Join(dir, "mediamtx"), "mediamtx")
		if err != nil {
			return err
		}
		results = append(results, mt)
	}
	var out strings.Builder
	fmt.Fprintf(&out, "\nloadgen %s (server on CPU %d, load on the others; %d connections; one stream, sample %s H.264 %s; windows of %v after %v of warm-up)\n\n",
		strings.Join(args, " "), o.serveCPU, o.conns, o.spec.Size, o.spec.Bitrate, o.window, o.warmup)
	writeServeTable(&out, results)
	fmt.Fprintf(&out, "\nmachine: %d CPUs, load average %s at start, %s at end\n", runtime.NumCPU(), load0, loadAvg())
	_, err = io.WriteString(stdout, out.String())
	return err
}

// serveStream starts the named server pinned, publishes one stream to it,
// runs both loads and stops it. It returns the figures and, for the bare
// server, the playlist and a segment it served.
func serveStream(ctx context.Context, o options, smp *rtmppub.Sample, dir, name string) (serveResult, []byte, []byte, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return serveResult{}, nil, nil, err
	}
	cpu := fmt.Sprint(o.serveCPU)
	var t *target
	var err error
	master := func(t *target) string { return strings.Replace(t.Master("s1"), "index.m3u8", "index.ll.m3u8", 1) }
	if name == "mediamtx" {
		t, err = startMediamtxOn(ctx, cpu, o.mediamtx, dir, true)
		master = func(t *target) string { return t.Master("s1") }
	} else {
		t, err = startStreamhiveOn(ctx, cpu, o.bin, dir, 1, "")
	}
	if err != nil {
		return serveResult{}, nil, nil, err
	}
	defer t.Stop()
	pctx, stopPub := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer wg.Wait()
	defer stopPub()
	p := &rtmppub.Publisher{Addr: t.RTMP, App: t.App, Key: "s1", Sample: smp}
	wg.Go(func() {
		if err := p.Run(pctx, func() {}); err != nil && pctx.Err() == nil {
			slog.Warn("publisher failed", "server", name, "err", err.Error())
		}
	})
	media, err := awaitSegments(ctx, master(t))
	if err != nil {
		return serveResult{}, nil, nil, fmt.Errorf("%s: %w\n%s", name, err, tail(t.log))
	}
	segs := &segmentPaths{}
	if err := segs.refresh(ctx, media); err != nil {
		return serveResult{}, nil, nil, err
	}
	wg.Go(func() { segs.follow(pctx, media) })
	pl, err := get(ctx, serveClient, media)
	if err != nil {
		return serveResult{}, nil, nil, err
	}
	seg, err := get(ctx, serveClient, origin(media)+segs.load()[0])
	if err != nil {
		return serveResult{}, nil, nil, err
	}
	u, _ := url.Parse(media)
	r, err := serveLoads(ctx, o, t, name, segs.load, u.RequestURI(), len(pl))
	return r, pl, seg, err
}

// serveLoads runs the segment load (paths) and the playlist load on t.
func serveLoads(ctx context.Context, o options, t *target, name string, paths func() []string, playlist string, plBytes int) (serveResult, error) {
	u, err := url.Parse(t.Master("s1"))
	if err != nil {
		return serveResult{}, err
	}
	addr := u.Host
	slog.Info("serving: segments", "server", name, "conns", o.conns)
	segW, err := hammer(ctx, addr, func(k int) string { p := paths(); return p[k%len(p)] }, o.conns, o.warmup, o.window, t.PID)
	if err != nil {
		return serveResult{}, err
	}
	slog.Info("serving: playlists", "server", name, "conns", o.conns)
	plW, err := hammer(ctx, addr, func(int) string { return playlist }, o.conns, o.warmup, o.window, t.PID)
	if err != nil {
		return serveResult{}, err
	}
	return serveResult{Server: name, Segments: segW, Playlists: plW, PlaylistBytes: plBytes}, nil
}

// awaitSegments resolves master to its first variant and waits until that
// media playlist lists serveMinSegments segments; it returns its URL.
func awaitSegments(ctx context.Context, master string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, serveReady)
	defer cancel()
	for {
		media, err := firstVariant(ctx, master)
		if err == nil {
			pl, err := fetchMedia(ctx, serveClient, media)
			if err == nil && len(present(pl)) >= serveMinSegments {
				return media, nil
			}
		}
		if !sleep(ctx, 200*time.Millisecond) {
			return "", fmt.Errorf("%s: no %d segments within %v", master, serveMinSegments, serveReady)
		}
	}
}

// firstVariant returns the URL of master's first variant.
func firstVariant(ctx context.Context, master string) (string, error) {
	body, err := get(ctx, serveClient, master)
	if err != nil {
		return "", err
	}
	pl, err := parsePlaylist(string(body))
	if err != nil {
		return "", err
	}
	if len(pl.Variants) == 0 {
		return "", fmt.Errorf("%w: %s has no variant", ErrBadPlaylist, master)
	}
	return resolve(master, pl.Variants[0])
}

// segmentPaths holds the request paths of the newest complete segments
// of a live playlist, refreshed while the load runs so that every path
// stays in the window.
type segmentPaths struct{ cur atomic.Pointer[[]string] }

// serveSegments is how many of the newest segments the load spreads over.
const serveSegments = 3

func (s *segmentPaths) load() []string { return *s.cur.Load() }

func (s *segmentPaths) refresh(ctx context.Context, media string) error {
	pl, err := fetchMedia(ctx, serveClient, media)
	if err != nil {
		return err
	}
	uris := present(pl)
	uris = uris[max(0, len(uris)-serveSegments):]
	if len(uris) == 0 {
		return errors.New("loadgen: playlist lists no segment")
	}
	paths := make([]string, 0, len(uris))
	for _, uri := range uris {
		abs, err := resolve(media, uri)
		if err != nil {
			return err
		}
		u, err := url.Parse(abs)
		if err != nil {
			return err
		}
		paths = append(paths, u.RequestURI())
	}
	s.cur.Store(&paths)
	return nil
}

// follow refreshes the paths twice a segment until ctx ends.
func (s *segmentPaths) follow(ctx context.Context, media string) {
	for sleep(ctx, time.Second) {
		if err := s.refresh(ctx, media); err != nil && ctx.Err() == nil {
			slog.Warn("serving: playlist refresh", "err", err.Error())
		}
	}
}

// serveClient makes the one-off requests of the serving mode, which may
// meet a server busy with the load.
var serveClient = &http.Client{Timeout: 10 * time.Second}

// present is pl's segments that are not gaps (mediamtx's LL-HLS lists
// gaps before the stream's first segments).
func present(pl mediaPlaylist) []string {
	var out []string
	for i, uri := range pl.Segments {
		if !pl.Gap[i] {
			out = append(out, uri)
		}
	}
	return out
}

// origin is the scheme and host of u.
func origin(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return ""
	}
	return p.Scheme + "://" + p.Host
}
