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
// A viewer that fails, or receives no media unit (frame, RTP packet, HLS
// segment) in the window, counts as failed.
//
// With -mediamtx PATH the same viewers then play the same stream from
// MediaMTX (started on loopback ports, s1 published as live/s1), and a
// third table gives the ratio of CPU per viewer, StreamHive to MediaMTX.
// The sample then has no B-frames (MediaMTX closes a WebRTC viewer of a
// stream with B-frames), and MediaMTX sends WebRTC viewers no AAC (it skips
// the track), so its WHEP viewers get video only, where StreamHive's get
// video and Opus audio.
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
	mediamtx  string
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
	protocols := fs.String("protocols", "hls,rtmp,rtsp,rtsp-udp,srt,whep", "output protocols: hls, rtmp, rtsp, rtsp-udp, srt, whep")
	fs.DurationVar(&o.window, "duration", 20*time.Second, "measurement window per run")
	fs.DurationVar(&o.warmup, "warmup", 5*time.Second, "time the viewers get to start before the window")
	fs.StringVar(&o.bin, "bin", "bin/streamhive", "the server binary")
	fs.StringVar(&o.mediamtx, "mediamtx", "", "a MediaMTX binary to run the same viewers against, after StreamHive, for ratios")
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
	smp, err := loadSample(ctx, o, dir)
	if err != nil {
		return err
	}
	ours, err := measureServer(ctx, o, func() (*server, error) { return startServer(ctx, o, dir, smp) })
	if err != nil {
		return err
	}
	var out strings.Builder
	bframes := ""
	if o.mediamtx != "" {
		bframes = " without B-frames, which MediaMTX does not play over WebRTC,"
	}
	fmt.Fprintf(&out, "One 4 Mbit/s stream (1280x720 H.264%s + AAC, published over RTMP); window %v after %v warm-up.\n\n",
		bframes, o.window, o.warmup)
	writeRun(&out, ours)
	if o.mediamtx != "" {
		peer, err := measureServer(ctx, o, func() (*server, error) { return startMediamtx(ctx, o.mediamtx, dir, smp) })
		if err != nil {
			return err
		}
		writeRun(&out, peer)
		writeRatios(&out, ours, peer)
	}
	_, err = io.WriteString(stdout, out.String())
	return err
}

// serverRun is one server's figures: its idle baseline and a row per
// protocol and viewer count.
type serverRun struct {
	name string
	base benchkit.Usage
	rows []row
}

// measureServer starts a server, measures its baseline and each run of
// viewers, and stops it.
func measureServer(ctx context.Context, o options, start func() (*server, error)) (serverRun, error) {
	srv, err := start()
	if err != nil {
		return serverRun{}, err
	}
	defer srv.stop()
	r := serverRun{name: srv.name}
	if r.base, err = srv.baseline(ctx, o); err != nil {
		return r, err
	}
	for _, p := range o.protocols {
		for _, n := range o.viewers {
			row, err := runViewers(ctx, o, srv, r.base, p, n)
			if err != nil {
				slog.Warn("run failed", "server", srv.name, "proto", p, "viewers", n, "err", err)
			}
			r.rows = append(r.rows, row)
		}
	}
	return r, nil
}

func writeRun(out *strings.Builder, r serverRun) {
	fmt.Fprintf(out, "%s with the publisher and no viewers: %.2f %% of one core, %.1f MiB RSS; load average at the end %s.\n\n",
		r.name, r.base.CPU, float64(r.base.RSS)/(1<<20), benchkit.LoadAvg())
	writeTable(out, r.rows)
	out.WriteString("\n")
}

// writeRatios compares the CPU per viewer of the two servers' runs, row by
// row (they ran the same protocols and counts). A run where every viewer
// of either server failed has no ratio (that server served nothing), nor
// one where either server's CPU per viewer is within noise of nothing.
func writeRatios(out *strings.Builder, ours, peer serverRun) {
	fmt.Fprintf(out, "| protocol | viewers | %s CPU per viewer, %% | %s CPU per viewer, %% | ratio |\n", ours.name, peer.name)
	out.WriteString("| --- | ---: | ---: | ---: | ---: |\n")
	for i, r := range ours.rows {
		p := peer.rows[i]
		ratio := "n/a"
		if p.perViewer() > 0 && r.perViewer() > 0 && p.failed < p.n && r.failed < r.n {
			ratio = fmt.Sprintf("%.2f", r.perViewer()/p.perViewer())
		}
		fmt.Fprintf(out, "| %s | %d | %.3f | %.3f | %s |\n", r.proto, r.n, r.perViewer(), p.perViewer(), ratio)
	}
}
