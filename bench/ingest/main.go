// Command ingest measures what ingest costs StreamHive per stream: N
// publishers per protocol, each replaying one pre-encoded 4 Mbit/s sample
// (encoded once by ffmpeg, so the client spends no encoder time) in real
// time, against a server it starts from bin/streamhive on free loopback
// ports. It reads the server's CPU and RSS from /proc/PID before and
// while the publishers run and prints a Markdown table: CPU % of one core
// and RSS, in all and per stream.
//
//	go run ./bench/ingest -n 10,50 -protocols rtmp,rtsp,udp,srt -duration 20s
//
// Protocols, all in-process Go clients replaying the same encoding:
//   - udp: MPEG-TS in 7-packet datagrams to input udp://127.0.0.1:PORT
//     (one port per stream), paced by the PCRs;
//   - srt: the same chunks over SRT to the srt_publish port (streamid
//     #!::r=NAME,m=publish);
//   - rtmp: the sample remuxed once to FLV (ffmpeg -c copy), its tags
//     replayed by bench/internal/rtmppub to rtmp://HOST:PORT/live/NAME;
//   - rtsp: the sample's H.264 and AAC access units (mediacommon's TS
//     reader), packetized once with gortsplib's encoders, recorded to
//     rtsp://HOST:PORT/NAME by gortsplib's client (-rtsp-transport).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/bluenviron/gortsplib/v4"

	"streamhive/bench/internal/benchkit"
)

type options struct {
	counts    []int
	protocols []string
	window    time.Duration
	warmup    time.Duration
	bin       string
	seconds   int
	profiles  string // directory for CPU and heap profiles; empty: none

	rtspTransport gortsplib.Transport
}

func main() {
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, nil)))
	if err := run(os.Args[1:], os.Stdout); err != nil {
		slog.Error("ingest", "err", err)
		os.Exit(1)
	}
}

func parseOptions(args []string) (options, error) {
	var o options
	fs := flag.NewFlagSet("ingest", flag.ContinueOnError)
	counts := fs.String("n", "10,50", "publishers per protocol, comma separated")
	protocols := fs.String("protocols", "rtmp,rtsp,udp,srt", "protocols to load, comma separated: rtmp, rtsp, udp, srt")
	transport := fs.String("rtsp-transport", "tcp", "RTSP publishers' transport: tcp (interleaved) or udp")
	fs.DurationVar(&o.window, "duration", 20*time.Second, "measurement window per run")
	fs.DurationVar(&o.warmup, "warmup", 5*time.Second, "least settling time after the publishers start; the window then waits until the server's RSS is steady, at most 60 s more (memory: a warm-up past a minute, when streams with no new consumer drop their GOP cache)")
	fs.StringVar(&o.bin, "bin", "bin/streamhive", "streamhive binary (make build)")
	fs.StringVar(&o.profiles, "profile", "", "write the server's CPU profile of each window and its heap profile after it into this `dir` (the server runs with -pprof)")
	fs.IntVar(&o.seconds, "sample", 120, "sample length in seconds: looped, and each loop restarts the timestamps, so keep it longer than the warm-up + settling + window")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	for f := range strings.SplitSeq(*counts, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return o, fmt.Errorf("-n: %q is not a positive count", f)
		}
		o.counts = append(o.counts, n)
	}
	for p := range strings.SplitSeq(*protocols, ",") {
		switch p = strings.TrimSpace(p); p {
		case "rtmp", "rtsp", "udp", "srt":
			o.protocols = append(o.protocols, p)
		default:
			return o, fmt.Errorf("-protocols: %q: want rtmp, rtsp, udp or srt", p)
		}
	}
	var err error
	if o.rtspTransport, err = parseTransport(*transport); err != nil {
		return o, err
	}
	if o.window <= 0 || o.warmup < 0 || o.seconds < 2 {
		return o, errors.New("-duration > 0, -warmup >= 0, -sample >= 2")
	}
	return o, nil
}

func run(args []string, stdout io.Writer) error {
	o, err := parseOptions(args)
	if err != nil {
		return err
	}
	if _, err := os.Stat(o.bin); err != nil {
		return fmt.Errorf("%s: %w (run make build)", o.bin, err)
	}
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "ingest-bench-")
	if err != nil {
		return err
	}
	defer func() { _ = os.RemoveAll(dir) }()
	slog.Info("encoding the sample", "seconds", o.seconds)
	smp, err := prepareSamples(ctx, dir, o)
	if err != nil {
		return err
	}
	s := smp.ts
	mbps := float64(s.bytes*8) / s.length.Seconds() / 1e6
	slog.Info("sample ready", "mbit/s", fmt.Sprintf("%.2f", mbps), "loop", s.length)
	var rows []row
	for _, proto := range o.protocols {
		for _, n := range o.counts {
			r, err := runOne(ctx, o, smp, dir, proto, n)
			if err != nil {
				return fmt.Errorf("%s x%d: %w", proto, n, err)
			}
			slog.Info("done", "protocol", proto, "n", n, "cpu%", fmt.Sprintf("%.1f", r.cpu), "rss MiB", r.rss>>20)
			rows = append(rows, r)
		}
	}
	var out strings.Builder
	fmt.Fprintf(&out, "sample: %.2f Mbit/s MPEG-TS (1280x720 H.264 + AAC), looped every %v; window %v once RSS is steady (at least %v after the publishers start); load average at end: %s\n\n",
		mbps, s.length.Round(time.Millisecond), o.window, o.warmup, benchkit.LoadAvg())
	writeTable(&out, rows)
	_, err = io.WriteString(stdout, out.String())
	return err
}
