// Command play measures what a viewer costs StreamHive over each output
// protocol: one 4 Mbit/s stream (bench/internal/benchkit's pre-encoded
// sample, published over RTMP in real time), then N viewers of it over
// each protocol in turn, against a server it starts from bin/streamhive on
// free loopback ports. It reads the server's CPU and RSS from /proc/PID
// with no viewers and with the N viewers, and prints a Markdown table: CPU
// % of one core per viewer, and what each viewer received.
//
//	go run ./bench/play -viewers 100 -protocols hls,rtmp,rtsp,rtsp-udp,srt,whep -duration 20s
//
// Viewers are in-process Go clients that read and discard:
//   - hls: a player loop over index.m3u8's first rendition (MPEG-TS
//     segments), reloading the playlist every second;
//   - rtmp, rtsp (RTP over TCP), rtsp-udp and srt: StreamHive's own
//     pullers (protocols/*), the clients its inputs use;
//   - whep: a pion PeerConnection per viewer (recvonly video and audio).
//
// The clients run on the same machine, so the table reports the server
// process's CPU only; the load average beside it says how busy the
// machine was.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	"streamhive/bench/internal/benchkit"
)

type options struct {
	viewers   []int
	protocols []string
	window    time.Duration
	warmup    time.Duration
	bin       string
	seconds   int
}

func main() {
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, nil)))
	if err := run(os.Args[1:], os.Stdout); err != nil {
		slog.Error("play", "err", err)
		os.Exit(1)
	}
}

func parseOptions(args []string) (options, error) {
	var o options
	fs := flag.NewFlagSet("play", flag.ContinueOnError)
	viewers := fs.String("viewers", "100", "viewers per protocol, comma separated")
	protocols := fs.String("protocols", "hls,rtmp,rtsp,srt,whep", "output protocols: hls, rtmp, rtsp, rtsp-udp, srt, whep")
	fs.DurationVar(&o.window, "duration", 20*time.Second, "measurement window per run")
	fs.DurationVar(&o.warmup, "warmup", 5*time.Second, "time the viewers get to start before the window")
	fs.StringVar(&o.bin, "bin", "bin/streamhive", "the server binary")
	fs.IntVar(&o.seconds, "sample", 10, "seconds of sample to encode (it loops)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	for _, s := range strings.Split(*viewers, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n <= 0 {
			return o, fmt.Errorf("-viewers: %q is not a positive count", s)
		}
		o.viewers = append(o.viewers, n)
	}
	for _, p := range strings.Split(*protocols, ",") {
		p = strings.TrimSpace(p)
		if _, ok := viewerKinds[p]; !ok {
			return o, fmt.Errorf("-protocols: unknown %q", p)
		}
		o.protocols = append(o.protocols, p)
	}
	return o, nil
}

func run(args []string, stdout io.Writer) error {
	o, err := parseOptions(args)
	if err != nil {
		return err
	}
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "streamhive-play-bench-")
	if err != nil {
		return err
	}
	defer func() { _ = os.RemoveAll(dir) }()
	srv, err := startServer(ctx, o, dir)
	if err != nil {
		return err
	}
	defer srv.stop()
	base, err := srv.baseline(ctx, o)
	if err != nil {
		return err
	}
	var rows []row
	for _, p := range o.protocols {
		for _, n := range o.viewers {
			r, err := runViewers(ctx, o, srv, base, p, n)
			if err != nil {
				slog.Warn("run failed", "proto", p, "viewers", n, "err", err)
			}
			rows = append(rows, r)
		}
	}
	var out strings.Builder
	fmt.Fprintf(&out, "One 4 Mbit/s stream (1280x720 H.264 + AAC, published over RTMP); window %v after %v warm-up; load average at the end %s.\n\n",
		o.window, o.warmup, benchkit.LoadAvg())
	fmt.Fprintf(&out, "Server with the publisher and no viewers: %.2f %% of one core, %.1f MiB RSS.\n\n", base.CPU, float64(base.RSS)/(1<<20))
	writeTable(&out, rows)
	_, err = io.WriteString(stdout, out.String())
	return err
}
