// Command fanout measures a StreamHive cluster's edge fan-out: an origin
// node captures one 4 Mbit/s stream (bench/internal/benchkit's
// pre-encoded sample, published over RTMP in real time) and two edge
// nodes (static peer lines, one cluster_key) serve it to N HLS viewers,
// split evenly, each edge pulling it once from the origin over m4f. Then,
// in the same run, one node without a cluster serves the same N viewers
// itself. All nodes are bin/streamhive processes on free loopback ports.
//
//	go run ./bench/fanout -viewers 500 -duration 30s
//
// It reports, as Markdown:
//   - the origin's upload: its write(2) bytes over the window
//     (/proc/PID/io wchar: the m4f responses, plus its log and the API
//     answers the bench reads) against s1's input bitrate, which must stay
//     one copy per edge, and each m4f pull it served, with its mean rate
//     (the origin logs one line per pull when it ends);
//   - each node's CPU (% of one core, /proc/PID/stat) and RSS with one
//     viewer per edge and with them all, and the CPU one more viewer adds
//     on an edge;
//   - the same for the single node, and the ratio of the CPU per viewer
//     on an edge to that on the single node (MediaMTX has no cluster to
//     compare with);
//   - what each viewer received, and the viewers that failed.
//
// Viewers are in-process HLS players (benchkit.PlayHLS: the first
// rendition's playlist reloaded every second, each new segment downloaded
// once); one that fails comes back a second later and its errors count.
// A viewer with an error or no new segment in the window counts as failed.
//
// Every baseline has one viewer per serving node: an edge's relay runs on
// demand, so its baseline holds the pull from the origin as the single
// node's holds the publisher's ingest, and the CPU per viewer is what the
// other viewers add. The clients run on the same machine: the load
// average beside the figures says how busy it was.
//
// -mode ingest (the default) configures s1 on all three nodes with
// `cluster_ingest capture_at=ORIGIN`; -mode origin configures it on the
// origin only, and the edges open relays when their viewers ask.
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
	"streamhive/bench/internal/rtmppub"
)

const (
	modeIngest = "ingest"
	modeOrigin = "origin"
)

type options struct {
	viewers int
	mode    string
	window  time.Duration
	warmup  time.Duration
	bin     string
	seconds int
	single  bool
	cluster bool
}

func main() {
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, nil)))
	if err := run(os.Args[1:], os.Stdout); err != nil {
		slog.Error("fanout", "err", err)
		os.Exit(1)
	}
}

func parseOptions(args []string) (options, error) {
	var o options
	fs := flag.NewFlagSet("fanout", flag.ContinueOnError)
	fs.IntVar(&o.viewers, "viewers", 500, "HLS viewers, split over the two edges")
	fs.StringVar(&o.mode, "mode", modeIngest, "how the edges have s1: ingest (cluster_ingest capture_at=origin on every node) or origin (configured on the origin only)")
	fs.DurationVar(&o.window, "duration", 20*time.Second, "measurement window")
	fs.DurationVar(&o.warmup, "warmup", 8*time.Second, "time the viewers get to start before the window")
	fs.StringVar(&o.bin, "bin", "bin/streamhive", "the server binary")
	fs.IntVar(&o.seconds, "sample", 10, "seconds of sample to encode (it loops)")
	fs.BoolVar(&o.single, "single", true, "then serve the same viewers from one node, for the ratio")
	fs.BoolVar(&o.cluster, "cluster", true, "run the cluster (-cluster=false: the single node only)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if o.viewers < 2 {
		return o, fmt.Errorf("-viewers: %d; want at least one per edge", o.viewers)
	}
	if o.mode != modeIngest && o.mode != modeOrigin {
		return o, fmt.Errorf("-mode: %q; want %s or %s", o.mode, modeIngest, modeOrigin)
	}
	return o, nil
}

func run(args []string, stdout io.Writer) error {
	o, err := parseOptions(args)
	if err != nil {
		return err
	}
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "streamhive-fanout-bench-")
	if err != nil {
		return err
	}
	defer func() { _ = os.RemoveAll(dir) }()
	smp, err := loadSample(ctx, o, dir)
	if err != nil {
		return err
	}
	var out strings.Builder
	fmt.Fprintf(&out, "One 4 Mbit/s stream (1280x720 H.264 + AAC, published over RTMP to the origin; -mode %s); %d HLS viewers; window %v after %v warm-up.\n\n",
		o.mode, o.viewers, o.window, o.warmup)
	var c clusterRun
	if o.cluster {
		if c, err = runCluster(ctx, o, dir, smp); err != nil {
			return err
		}
		writeCluster(&out, c)
	}
	if o.single {
		s, err := runSingle(ctx, o, dir, smp)
		if err != nil {
			return err
		}
		writeSingle(&out, c, s)
	}
	_, err = io.WriteString(stdout, out.String())
	return err
}

func loadSample(ctx context.Context, o options, dir string) (*rtmppub.Sample, error) {
	return benchkit.RTMPSample(ctx, dir, o.seconds)
}
