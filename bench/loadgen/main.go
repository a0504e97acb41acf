// Command loadgen puts a live load on StreamHive and, when a mediamtx
// binary is named in MEDIAMTX, on mediamtx in the same run: N RTMP
// publishers replay a pre-encoded sample (no encoder on the client side),
// M HLS viewers per stream follow the MPEG-TS playlist like players, and
// the server's CPU and RSS are read from /proc before publishing, with
// publishers only, and with viewers too. With -auth it runs StreamHive
// twice per stream count, without and with viewer sessions and an auth
// backend (on_play, decisions cached), every viewer with its own token:
// the cost of sessions and auth per viewer. With -serve it measures
// serving rates per server core instead (serve.go). With -hold it holds N
// streams for that long and checks every poll of the Control API and of
// each media playlist: no stream lost, no frame dropped by the server,
// every playlist fresh, the publishers on time; it exits 1 when one of
// these fails (hold.go).
//
//	go run ./bench/loadgen -n 1,10,50 -viewers 2 -duration 30s
//	go run ./bench/loadgen -n 10 -viewers 100 -auth
//	go run ./bench/loadgen -hold 5m -n 200 -viewers 0 -bitrate 4M
//	MEDIAMTX=/path/to/mediamtx go run ./bench/loadgen -n 1,10
//	MEDIAMTX=/path/to/mediamtx go run ./bench/loadgen -serve -bitrate 8M -duration 10s
//	go run ./bench/loadgen -server-http http://HOST:PORT -server-rtmp HOST:PORT [-server-pid PID]
//
// Everything runs on loopback, on free ports, and stops by itself. The
// result tables (Markdown) go to stdout, progress to stderr.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"

	"streamhive/bench/internal/benchkit"
	"streamhive/bench/internal/rtmppub"
)

// options are the command line.
type options struct {
	counts     []int
	viewers    int
	window     time.Duration
	warmup     time.Duration
	bin        string
	samplePath string
	spec       sampleSpec
	mediamtx   string
	auth       bool
	hold       time.Duration // the hold check (hold.go); 0: the usual windows
	selfCPU    string        // write this program's own CPU profile here
	extHTTP    string
	extRTMP    string
	extPID     int
	// The serving mode (serve.go), and the bare server it starts.
	serve        bool
	serveCPU     int
	conns        int
	bareAddr     string
	barePlaylist string
	bareSegment  string
}

func main() {
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, nil)))
	if err := run(os.Args[1:], os.Stdout); err != nil {
		slog.Error("loadgen", "err", err)
		os.Exit(1)
	}
}

func parseOptions(args []string) (options, error) {
	var o options
	fs := flag.NewFlagSet("loadgen", flag.ContinueOnError)
	counts := fs.String("n", "1,10,50", "stream counts to run, comma separated")
	fs.IntVar(&o.viewers, "viewers", 2, "HLS viewers per stream")
	fs.DurationVar(&o.window, "duration", 30*time.Second, "length of each of the three measurement windows (publishers only; with viewers; publishers only again)")
	fs.DurationVar(&o.warmup, "warmup", 4*time.Second, "settling time before each window (the first one also waits until the server's RSS is steady)")
	fs.StringVar(&o.bin, "bin", "bin/streamhive", "streamhive binary; built from ./cmd/streamhive when missing")
	fs.StringVar(&o.samplePath, "sample", "", "FLV to publish (default: made once with ffmpeg)")
	fs.StringVar(&o.spec.Size, "size", "1280x720", "sample picture size")
	fs.StringVar(&o.spec.Bitrate, "bitrate", "3M", "sample video bitrate")
	fs.DurationVar(&o.hold, "hold", 0, "hold mode: publish -n streams (one count) and poll the Control API and every media playlist for this long, checking each poll; exit 1 when a stream is lost, a frame dropped or a playlist stale (hold.go)")
	fs.StringVar(&o.selfCPU, "cpuprofile", "", "write the load generator's own CPU profile to this `file` (what its publishers and pollers cost)")
	fs.BoolVar(&o.auth, "auth", false, "run StreamHive a second time with on_play (an auth backend in this process, decisions cached) and a token per viewer, and compare")
	fs.StringVar(&o.extHTTP, "server-http", "", "load an already running server at this HTTP base URL instead of starting one")
	fs.StringVar(&o.extRTMP, "server-rtmp", "", "its RTMP host:port (with -server-http)")
	fs.IntVar(&o.extPID, "server-pid", 0, "its process id, to read CPU and RSS (with -server-http)")
	fs.BoolVar(&o.serve, "serve", false, "serving mode: the server pinned to one CPU, segments and LL-HLS playlists of one stream loaded from the others (serve.go)")
	fs.IntVar(&o.serveCPU, "serve-cpu", 0, "the CPU the server runs on in the serving mode")
	fs.IntVar(&o.conns, "conns", 128, "connections of each serving load")
	fs.StringVar(&o.bareAddr, "bare-serve", "", "internal: run the bare fasthttp server on this address")
	fs.StringVar(&o.barePlaylist, "bare-playlist", "", "internal: the bare server's playlist file")
	fs.StringVar(&o.bareSegment, "bare-segment", "", "internal: the bare server's segment file")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	var err error
	if o.counts, err = parseCounts(*counts); err != nil {
		return o, err
	}
	if o.viewers < 0 || o.window <= 0 || o.warmup < 0 {
		return o, errors.New("-viewers must be ≥ 0, -duration > 0, -warmup ≥ 0")
	}
	if (o.extHTTP == "") != (o.extRTMP == "") {
		return o, errors.New("-server-http and -server-rtmp go together")
	}
	if o.serve && (o.auth || o.extHTTP != "" || o.conns < 1) {
		return o, errors.New("-serve starts its own servers (not with -auth or -server-http) and needs -conns ≥ 1")
	}
	if o.hold < 0 || o.hold > 0 && (len(o.counts) != 1 || o.serve || o.auth) {
		return o, errors.New("-hold takes one -n count, not with -serve or -auth")
	}
	if o.auth && o.extHTTP != "" {
		return o, errors.New("-auth starts its own servers: not with -server-http")
	}
	if m := os.Getenv("MEDIAMTX"); m != "" {
		if o.mediamtx, err = exec.LookPath(m); err != nil {
			return o, fmt.Errorf("MEDIAMTX: %w", err)
		}
		if o.mediamtx, err = filepath.Abs(o.mediamtx); err != nil {
			return o, err
		}
	}
	return o, nil
}

// parseCounts reads "1,10,50".
func parseCounts(s string) ([]int, error) {
	var out []int
	for f := range strings.SplitSeq(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("-n: %q is not a positive stream count", f)
		}
		out = append(out, n)
	}
	return out, nil
}

func run(args []string, stdout io.Writer) error {
	o, err := parseOptions(args)
	if err != nil {
		return err
	}
	if o.bareAddr != "" {
		return serveBare(o.bareAddr, o.barePlaylist, o.bareSegment)
	}
	if o.selfCPU != "" {
		f, err := os.Create(o.selfCPU)
		if err != nil {
			return err
		}
		defer func() { _ = f.Close() }()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	// Bound the whole run: per count and server, the windows plus generous
	// slack for starting, readiness and stopping.
	perRun := idleWindow + publishRamp + readyTimeout + benchkit.DefaultSettling.AtMost + viewerRamp + 3*(o.warmup+o.window) + 30*time.Second
	servers := 1
	if o.mediamtx != "" {
		servers++
	}
	if o.auth {
		servers++
	}
	if o.hold > 0 {
		perRun = publishRamp + readyTimeout + o.warmup + o.hold + 30*time.Second
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Duration(len(o.counts)*servers)*perRun+2*time.Minute)
	defer cancel()

	dir, err := os.MkdirTemp("", "loadgen-")
	if err != nil {
		return err
	}
	defer func() { _ = os.RemoveAll(dir) }()

	smp, err := prepareSample(ctx, o, dir)
	if err != nil {
		return err
	}
	if o.extHTTP == "" {
		if o.bin, err = ensureBinary(ctx, o.bin, dir); err != nil {
			return err
		}
	}
	if o.serve {
		return runServe(ctx, o, args, smp, dir, stdout)
	}
	if o.hold > 0 {
		return runHold(ctx, o, smp, dir, stdout)
	}

	load0 := loadAvg()
	var ours, peers, authed []result
	for _, n := range o.counts {
		l := load{Streams: n, Viewers: o.viewers, Window: o.window, Warmup: o.warmup, Sample: smp}
		r, err := runOne(ctx, o, l, dir, "streamhive")
		if err != nil {
			return err
		}
		ours = append(ours, r)
		if o.auth {
			r, err := runOne(ctx, o, l, dir, nameAuth)
			if err != nil {
				return err
			}
			authed = append(authed, r)
		}
		if o.mediamtx != "" {
			r, err := runOne(ctx, o, l, dir, "mediamtx")
			if err != nil {
				return err
			}
			peers = append(peers, r)
		}
	}
	var out strings.Builder
	fmt.Fprintf(&out, "\nloadgen %s (sample %s H.264 %s + AAC, GOP 1 s, loop %v; windows of %v, each after %v of warm-up)\n\n",
		strings.Join(args, " "), o.spec.Size, o.spec.Bitrate, smp.Loop, o.window, o.warmup)
	writeTable(&out, append(append(ours, authed...), peers...))
	for _, r := range authed {
		fmt.Fprintf(&out, "\n%s, %d streams: the auth backend was asked %d times for %d viewers (and the %d readiness probes)\n",
			r.Target, r.Streams, r.AuthAsks, r.Streams*r.Viewers, r.Streams)
	}
	fmt.Fprintf(&out, "\nmachine: %d CPUs, load average %s at start, %s at end\n", runtime.NumCPU(), load0, loadAvg())
	if len(authed) > 0 {
		writeRatios(&out, ours, authed)
	}
	if len(peers) > 0 {
		writeRatios(&out, ours, peers)
	}
	_, err = io.WriteString(stdout, out.String())
	return err
}

// runOne starts the named server (or uses the external one), runs l on
// it and stops it. Each run gets a fresh process so baselines compare.
func runOne(ctx context.Context, o options, l load, dir, name string) (result, error) {
	runDir := filepath.Join(dir, fmt.Sprintf("%s-%d", name, l.Streams))
	if err := os.MkdirAll(runDir, 0o755); err != nil {
		return result{}, err
	}
	var t *target
	var err error
	var backend *authBackend
	switch {
	case name == "mediamtx":
		t, err = startMediamtx(ctx, o.mediamtx, runDir)
	case o.extHTTP != "":
		t = externalTarget(o.extHTTP, o.extRTMP, o.extPID)
	case name == nameAuth:
		if backend, err = startAuthBackend(); err != nil {
			return result{}, err
		}
		defer backend.Close()
		t, err = startStreamhive(ctx, o.bin, runDir, l.Streams, backend.URL)
	default:
		t, err = startStreamhive(ctx, o.bin, runDir, l.Streams, "")
	}
	if err != nil {
		return result{}, err
	}
	defer t.Stop()
	r, err := runLoad(ctx, t, l)
	if backend != nil {
		r.AuthAsks = backend.asks.Load()
	}
	if err != nil && t.log != "" {
		err = fmt.Errorf("%w\n%s log:\n%s", err, t.Name, tail(t.log))
	}
	return r, err
}

// loadAvg is the 1-minute load average, to say how busy the machine was.
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return "unknown"
	}
	return f[0]
}

// prepareSample loads -sample or makes one.
func prepareSample(ctx context.Context, o options, dir string) (*rtmppub.Sample, error) {
	path := o.samplePath
	if path == "" {
		slog.Info("encoding the sample once", "size", o.spec.Size, "bitrate", o.spec.Bitrate)
		var err error
		if path, err = generateSample(ctx, dir, o.spec); err != nil {
			return nil, err
		}
	}
	return rtmppub.LoadFLV(path)
}

// ensureBinary returns bin if it exists, else builds ./cmd/streamhive into
// dir (the working directory must be the module root).
func ensureBinary(ctx context.Context, bin, dir string) (string, error) {
	if _, err := os.Stat(bin); err == nil {
		return filepath.Abs(bin) // servers run in their own directory
	}
	out := filepath.Join(dir, "streamhive")
	slog.Info("building streamhive", "missing", bin)
	cmd := exec.CommandContext(ctx, "go", "build", "-o", out, "./cmd/streamhive")
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/streamhive: %w\n%s", err, b)
	}
	return out, nil
}
