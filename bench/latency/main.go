// Command latency measures LL-HLS live latency in a real player beside
// MediaMTX in the same run: one 720p30 H.264 (GOP 1 s) + AAC sample that
// ffmpeg encodes once and then publishes in real time over RTMP to both
// servers at once (-re, -c copy, the tee muxer: the same packets at the
// same instants, no encoder load during the run), then hls.js in headless
// Chromium playing each server's LL-HLS in turn, taking hls.js's own
// latency (hls.latency: seconds from the playhead to the live edge) every
// 250 ms and printing the median, the spread and hls.js's target.
//
//	go run ./bench/latency -mediamtx /tmp/mediamtx -duration 15s -rounds 2
//
// Each server is played as its own player page plays it: StreamHive
// through its embed page (/s1/embed.html, the hls.js config and live-edge
// keeping of gateway/web's embed.js, in an iframe that reports its
// state), MediaMTX in hls.js configured as MediaMTX's page configures it:
// lowLatencyMode (hls.js's default) and maxLiveSyncPlaybackRate 1.5 (-sync;
// 1 is hls.js's default: it keeps the latency it started at). Stalls
// (waits for data once playing) are counted for both. Both servers are
// played through one loopback proxy that also serves the page: MediaMTX's
// HLS sessions are Secure cookies, which a page on another port does not
// send, so the proxy keeps them on its own origin; it adds the same
// loopback hop to both.
//
// With LATENCY_DEBUG=1 it logs every request the players make (and how
// long each took), every eighth report, the embed page's last seeks and
// stalls at the end of each player, and hls.js's own log (debug=1)
// into Chromium's log in the run's directory, which it then keeps.
//
// The player page and hls.js are cmd/streamhive/testdata/player's (npm
// ci there installs hls.js; `make test` does).
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"streamhive/bench/internal/benchkit"
)

type options struct {
	bin, mediamtx, page string
	window, warmup      time.Duration
	rounds              int
	sync                float64
}

func main() {
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: logLevel()})))
	if err := run(os.Args[1:], os.Stdout); err != nil {
		slog.Error("latency", "err", err)
		os.Exit(1)
	}
}

func parseOptions(args []string) (options, error) {
	var o options
	fs := flag.NewFlagSet("latency", flag.ContinueOnError)
	fs.StringVar(&o.bin, "bin", "bin/streamhive", "the server binary")
	fs.StringVar(&o.mediamtx, "mediamtx", "", "a MediaMTX binary to measure beside StreamHive")
	fs.StringVar(&o.page, "page", "cmd/streamhive/testdata/player", "the player page's directory (player.html, node_modules/hls.js)")
	fs.DurationVar(&o.window, "duration", 15*time.Second, "playback measured per player")
	fs.DurationVar(&o.warmup, "warmup", 10*time.Second, "publishing before the first player starts (MediaMTX lists gaps until its window is full)")
	fs.IntVar(&o.rounds, "rounds", 2, "players per server, alternating between the servers")
	fs.Float64Var(&o.sync, "sync", 1.5, "MediaMTX's hls.js maxLiveSyncPlaybackRate (1: hls.js's default)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if o.rounds < 1 {
		return o, fmt.Errorf("-rounds: %d is not a positive count", o.rounds)
	}
	return o, nil
}

func run(args []string, stdout io.Writer) error {
	o, err := parseOptions(args)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dir, err := os.MkdirTemp("", "streamhive-latency-bench-")
	if err != nil {
		return err
	}
	defer func() {
		if os.Getenv("LATENCY_DEBUG") == "" {
			_ = os.RemoveAll(dir)
		}
	}()
	servers, err := startServers(ctx, o, dir)
	if err != nil {
		return err
	}
	defer func() {
		for _, s := range servers {
			s.stop()
		}
	}()
	if err := publish(ctx, dir, servers); err != nil {
		return err
	}
	pg, err := servePage(o.page, servers)
	if err != nil {
		return err
	}
	defer pg.close()
	time.Sleep(o.warmup)
	if os.Getenv("LATENCY_HOLD") != "" {
		fmt.Println("HOLD", pg.base)
		time.Sleep(60 * time.Second)
	}
	var rows []result
	for r := range o.rounds {
		for _, s := range servers {
			res, err := play(ctx, o, dir, pg, s)
			if err != nil {
				return fmt.Errorf("round %d, %s: %w", r+1, s.name, err)
			}
			slog.Info("played", "server", s.name, "median", res.median(), "target", res.target)
			rows = append(rows, res)
		}
	}
	var out strings.Builder
	writeTable(&out, o, rows)
	_, err = io.WriteString(stdout, out.String())
	return err
}

func writeTable(out *strings.Builder, o options, rows []result) {
	fmt.Fprintf(out, "hls.js LL-HLS live latency, 1280x720 30 fps H.264 (GOP 1 s) + AAC published over RTMP to both; "+
		"StreamHive through its embed page, MediaMTX in hls.js lowLatencyMode, maxLiveSyncPlaybackRate %g; "+
		"%v per player; load average at the end %s.\n\n",
		o.sync, o.window, benchkit.LoadAvg())
	out.WriteString("| server | round | median latency, s | min–max, s | hls.js target, s | time to first frame, s | stalls (s) | samples |\n")
	out.WriteString("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n")
	for i, r := range rows {
		fmt.Fprintf(out, "| %s | %d | %.2f | %.2f–%.2f | %.2f | %.2f | %d (%.2f) | %d |\n",
			r.server, i/max(1, serversIn(rows))+1, r.median(), r.min(), r.max(), r.target, r.firstFrame.Seconds(),
			r.stalls, r.stalledFor, len(r.lat))
	}
}

// serversIn counts the servers that rows alternate between.
func serversIn(rows []result) int {
	seen := map[string]bool{}
	for _, r := range rows {
		seen[r.server] = true
	}
	return len(seen)
}

// logLevel is Debug when LATENCY_DEBUG is set: every 2 s of each player's
// reports (latency, target, rate, buffer ahead) are logged.
func logLevel() slog.Level {
	if os.Getenv("LATENCY_DEBUG") != "" {
		return slog.LevelDebug
	}
	return slog.LevelInfo
}
