package main

import (
	"fmt"
	"strings"
	"time"
)

// paceTolerance is how far the publishers' rate may stray from nominal
// before a run is marked saturated: a client that cannot keep pace (or
// catches up in bursts) means the machine, not the server, set the load.
const paceTolerance = 0.05

// writeTable prints the runs as a Markdown table. Per stream figures are
// (with publishers - idle) / N.
func writeTable(w *strings.Builder, rows []row) {
	fmt.Fprintln(w, "| protocol | streams | nominal Mbit/s | sent Mbit/s | received Mbit/s | server CPU % (idle) | CPU % per stream | server RSS MiB (idle) | RSS MiB per stream | RSS steady after | streams live (A/V) | failed publishers | load avg start / end | state |")
	fmt.Fprintln(w, "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
	for _, r := range rows {
		failed := fmt.Sprint(r.failed)
		if r.clientDrops > 0 {
			failed += fmt.Sprintf(" (%d RTP packets dropped by the client)", r.clientDrops)
		}
		fmt.Fprintf(w, "| %s | %d | %.1f | %.1f | %.1f | %.1f (%.1f) | %.2f | %.0f (%.0f) | %.2f | %s | %d | %s | %s / %s | %s |\n",
			r.proto, r.n, r.nominalMbps, r.sentMbps, r.recvMbps, r.cpu, r.idleCPU, (r.cpu-r.idleCPU)/float64(r.n),
			mib(r.rss), mib(r.idleRSS), mib(r.rss-r.idleRSS)/float64(r.n), r.settledText(), r.live, failed, r.loadStart, r.loadEnd, r.state())
	}
}

// settledText is when the window began: RSS steady that long after the
// publishers started, or not steady by then.
func (r row) settledText() string {
	if !r.steady {
		return fmt.Sprintf("not steady at %v", r.settled.Round(time.Second))
	}
	return r.settled.Round(time.Second).String()
}

// state says whether the run's figures are per-stream costs: the load was
// the nominal one and every stream got through.
func (r row) state() string {
	var why []string
	if r.nominalMbps > 0 {
		if d := r.sentMbps/r.nominalMbps - 1; d < -paceTolerance || d > paceTolerance {
			why = append(why, fmt.Sprintf("saturated: publishers sent %.0f %% of nominal", 100*r.sentMbps/r.nominalMbps))
		}
	}
	if r.live < r.n {
		why = append(why, fmt.Sprintf("%d of %d streams live", r.live, r.n))
	}
	if r.failed > 0 || r.clientDrops > 0 {
		why = append(why, "publishers failed or dropped")
	}
	if len(why) == 0 {
		return "ok"
	}
	return "**not valid**: " + strings.Join(why, "; ")
}

func mib(b int64) float64 { return float64(b) / (1 << 20) }
