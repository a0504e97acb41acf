// Command vod measures VOD serving per server core: the server pinned to
// one CPU (taskset) serves a vod location of -files MP4 files (one
// ffmpeg encode, copied) to -viewers concurrent HTTP viewers on the other
// CPUs, each reading its file's HLS TS segments back to back. Segments are
// cut from the files on request:
//
//   - cold: a fresh server; each viewer starts at its own segment, so
//     nearly every request is a cut (the viewers of one file share one
//     cut of a segment). Measured over one pass of every viewer.
//   - hot: every segment is in the server's cache; measured over -window.
//
// Usage: go run ./bench/vod [-viewers 500] [-files 20] [-seconds 30] [-bitrate 1M] [-window 10s]
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"

	"streamhive/bench/internal/benchkit"
)

type options struct {
	bin     string
	cpu     int
	viewers int
	files   int
	seconds int
	bitrate string
	window  time.Duration
}

func main() {
	var o options
	fs := flag.NewFlagSet("vod", flag.ExitOnError)
	fs.StringVar(&o.bin, "bin", "bin/streamhive", "streamhive binary (make build)")
	fs.IntVar(&o.cpu, "serve-cpu", 0, "the CPU the server is pinned to; the load runs on the others")
	fs.IntVar(&o.viewers, "viewers", 500, "concurrent viewers")
	fs.IntVar(&o.files, "files", 20, "files in the location (viewer i watches file i mod files)")
	fs.IntVar(&o.seconds, "seconds", 30, "each file's length")
	fs.StringVar(&o.bitrate, "bitrate", "1M", "the files' H.264 bitrate (640x360, 25 fps, 2 s GOPs)")
	fs.DurationVar(&o.window, "window", 10*time.Second, "the hot window")
	_ = fs.Parse(os.Args[1:])
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	err := run(ctx, o, os.Args[1:])
	stop()
	if err != nil {
		slog.Error("vod bench failed", "err", err.Error())
		os.Exit(1)
	}
}

func run(ctx context.Context, o options, args []string) error {
	if err := benchkit.PinSelfAway(o.cpu); err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "bench-vod")
	if err != nil {
		return err
	}
	defer func() { _ = os.RemoveAll(dir) }()
	load0 := benchkit.LoadAvg()
	files := filepath.Join(dir, "files")
	if err := makeFiles(ctx, files, o); err != nil {
		return err
	}
	srv, err := startServer(ctx, o, dir, files)
	if err != nil {
		return err
	}
	defer srv.stop()
	cold, hot, err := measure(ctx, o, srv)
	if err != nil {
		return err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\nvod %s (server on CPU %d, load on the others; %d viewers of %d files, %d s each, %s H.264 640x360 + AAC, 2 s segments cut on request)\n\n",
		strings.Join(args, " "), o.cpu, o.viewers, o.files, o.seconds, o.bitrate)
	b.WriteString("| cache | segments/s | Gbit/s | server CPU % | segments/s per core | Gbit/s per core | errors | server RSS MiB |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|\n")
	for _, w := range []window{cold, hot} {
		fmt.Fprintf(&b, "| %s | %.0f | %.2f | %.0f | %.0f | %.2f | %d | %.0f |\n", w.name, w.rate(), w.gbits(), w.serverCPU,
			w.perCore(w.rate()), w.perCore(w.gbits()), w.errors, float64(w.rss)/(1<<20))
	}
	fmt.Fprintf(&b, "\nmachine: %d CPUs, load average %s at start, %s at end\n", runtime.NumCPU(), load0, benchkit.LoadAvg())
	_, err = os.Stdout.WriteString(b.String())
	return err
}
