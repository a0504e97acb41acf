// Command chaos runs StreamHive's fault-injection scenarios
// against the real server binary with real ffmpeg publishers, and writes
// the table of what a viewer experienced to chaos/RESULTS.md. `make chaos`
// runs it.
//
//	chaos [-bin bin/streamhive-chaos] [-out chaos/RESULTS.md] [-run a1,b,...]
//
// Every scenario starts a fresh server with two streams: a, which the
// fault hits, and b, fed by its own publisher and touched by nothing, to
// show isolation. A viewer follows each stream's HLS output as a player
// does (chaos.Viewer) and the stream's API stats are polled
// (chaos.Monitor).
package main

import (
	"flag"
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"slices"
	"strings"
	"time"

	"streamhive/chaos"
)

func main() {
	bin := flag.String("bin", "bin/streamhive-chaos", "the streamhive binary, built with -tags chaos")
	out := flag.String("out", "chaos/RESULTS.md", "where the table goes ('' for stdout only)")
	only := flag.String("run", "", "comma-separated scenario names (default: all)")
	flag.Parse()
	os.Exit(run(*bin, *out, *only))
}

func run(bin, out, only string) int {
	root, err := os.MkdirTemp("", "streamhive-chaos")
	if err != nil {
		slog.Error("chaos", "err", err)
		return 1
	}
	slog.Info("chaos: logs and configurations", "dir", root)
	clip, err := chaos.MakeClip(root, 20)
	if err != nil {
		slog.Error("chaos", "err", err)
		return 1
	}
	want := func(name string) bool { return only == "" || slices.Contains(strings.Split(only, ","), name) }
	var rows []*result
	for _, sc := range scenarios {
		if want(sc.name) {
			rows = append(rows, runScenario(root, bin, clip, sc))
		}
	}
	if want("e") {
		rows = append(rows, runRestart(root, bin, clip))
	}
	if want("n1") || want("n2") {
		rows = append(rows, runNodeLoss(root, bin, clip)...)
	}
	if want("n3") {
		rows = append(rows, runPartition(root, bin, clip))
	}
	slices.SortFunc(rows, func(a, b *result) int { return strings.Compare(a.name, b.name) })
	report := render(rows, only)
	fmt.Print(report)
	if out != "" {
		if err := os.WriteFile(out, []byte(report), 0o644); err != nil {
			slog.Error("chaos", "err", err)
			return 1
		}
	}
	for _, r := range rows {
		if !r.pass() {
			return 1
		}
	}
	return 0
}

// runScenario runs one fault scenario and judges it.
func runScenario(root, bin, clip string, sc scenario) *result {
	r := &result{name: sc.name, what: sc.what, bar: sc.barText}
	slog.Info("chaos: scenario", "name", sc.name, "fault", sc.what)
	ports := make([]int, 4)
	for i := range ports {
		p, err := chaos.FreeUDP()
		if err != nil {
			r.fail("%v", err)
			return r
		}
		ports[i] = p
	}
	bport := ports[3]
	e, err := newEnv(root, sc.name, bin, clip, func(int) string {
		return sc.conf(ports) + fmt.Sprintf("stream b { input udp://127.0.0.1:%d; segment_duration 1; segment_count 6; }\n", bport)
	})
	if err != nil {
		r.fail("start: %v", err)
		return r
	}
	defer e.close()
	if _, err := e.publish("mpegts", udpURL(bport)); err != nil {
		r.fail("publisher b: %v", err)
		return r
	}
	fault, err := sc.setup(e, ports)
	if err != nil {
		r.fail("setup: %v", err)
		return r
	}
	e.watch("a", "b")
	if err := e.warm(4, 20*time.Second); err != nil {
		r.fail("warm-up: %v", err)
		return r
	}
	at := time.Now()
	if err := fault(); err != nil {
		r.fail("fault: %v", err)
		return r
	}
	time.Sleep(sc.observe)
	end := time.Now()
	if !e.srv.Running() {
		r.fail("the server died (see %s)", e.srv.Log)
	}
	r.gap, r.recovery, _ = e.monitor["a"].Outage(at, end)
	if r.gap < 300*time.Millisecond {
		r.recovery = 0 // no outage: frames never stopped
		r.note("no outage")
	}
	r.view = e.viewer["a"].Measure(at, end)
	r.other = e.viewer["b"].Measure(at, end)
	e.dump(at)
	r.judge(sc.bar, false)
	if sc.check != nil {
		sc.check(e, r)
	}
	slog.Info("chaos: done", "name", sc.name, "pass", r.pass(), "gap", r.gap, "recovery", r.recovery)
	return r
}

// render builds RESULTS.md.
func render(rows []*result, only string) string {
	var b strings.Builder
	cmd := "make chaos"
	if only != "" {
		cmd = "go run ./chaos/cmd/chaos -run " + only
	}
	fmt.Fprintf(&b, "# Chaos results\n\nProduced by `%s` (go run ./chaos/cmd/chaos) on %s, %d CPUs, %s.\n\n",
		cmd, time.Now().UTC().Format("2006-01-02 15:04 MST"), runtime.NumCPU(), runtime.GOOS+"/"+runtime.GOARCH)
	b.WriteString(`Each scenario starts a fresh server with stream a (the fault hits it; source_timeout 2 s,
1 s segments) and stream b (its own UDP publisher, touched by nothing). Publishers are ffmpeg
sending a pre-encoded 25 fps clip with a keyframe every second (GOP 1 s) at real-time pace.

- output gap (server): the longest pause in frames leaving stream a's hub (API last_dts_at,
  polled every 50 ms); recovery: from the fault (or the pause's start, when it began later:
  repeated panics, a lossy link) to frames flowing again.
- viewer: a client that follows stream a's HLS output as a player does (reloads the media
  playlist every 100 ms, downloads every new segment, reads the video PTS with go-astits).
  wall gap: the longest wait between two new segments (1 s when nothing happens); media gap:
  the largest hole in the output's presentation timeline beyond one frame; stall: how far the
  output fell behind the wall clock compared with before the fault (time with no new media);
  frames lost: that lag at the end of the window, in 40 ms frames, plus skipped segments;
  reloads: playlist or segment errors and media sequence numbers going backwards.
- bars: stream a's gap and recovery within the bar plus 250 ms of measurement slack; no reload;
  stream b falls at most 0.5 s behind and never reloads; the server stays up. Scenario e: both
  streams serve again within 5 s of the restart.
- node scenarios (n1-n3): a source server (outside the cluster) gets stream a from a UDP
  publisher; three nodes (static peer lines, one cluster_key) have stream a as a
  cluster_ingest stream pulling the source's MPEG-TS over HTTP (tshttp://), so any node that
  captures it pulls the same picture. The viewer watches stream a through a node that does not
  capture it (a relay pulling m4f from the owner); the other stream is stream a on the source.
  output gap and recovery come from the API of the node that captures stream a now (polled
  directly); the notes give the same through the viewer's node (a remote call to the owner)
  and who captured stream a over time (each node's probe answer, GET /streamhive/cluster/node
  with a proof of the key, polled every 100 ms; times from the fault). In n3 the probes and the
  media (m4f pulls) between the partitioned node and the others go through TCP proxies (peer
  lines keep the node's name; api_url and private_payload_url name the proxy); the remote
  (gRPC) calls, which carry only API requests, go direct.

`)
	b.WriteString(tableHead + "\n")
	for _, r := range rows {
		b.WriteString(r.row() + "\n")
	}
	return b.String()
}
