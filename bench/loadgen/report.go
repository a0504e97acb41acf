package main

import (
	"fmt"
	"strings"
	"time"
)

const mib = 1 << 20

// writeTable prints one Markdown row per result.
func writeTable(w *strings.Builder, rs []result) {
	fmt.Fprintln(w, "| server | streams | viewers | publish → playable p50 / max | server CPU % idle / streams / streams+viewers / streams again | CPU % per stream | CPU % per viewer | RSS MiB idle / streams / streams+viewers / streams again | RSS steady after | RSS MiB per stream | RSS MiB per viewer | segment req/s | viewer Mbit/s | loadgen CPU % | errors |")
	fmt.Fprintln(w, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
	for _, r := range rs {
		fmt.Fprintf(w, "| %s | %d | %d | %s / %s | %s | %s | %s | %s | %s | %s | %s | %.1f | %.0f | %.0f | %s |\n",
			r.Target, r.Streams, r.Streams*r.Viewers,
			seconds(percentile(r.Ready, 50)), seconds(percentile(r.Ready, 100)),
			r.cell("%.1f / %.1f / %.1f / %.1f", r.Idle.CPU, r.Pub.CPU, r.All.CPU, r.PubAfter.CPU),
			r.cell("%.2f", r.perStream().CPU),
			r.cell("%.3f", r.perViewer().CPU),
			r.cell("%.0f / %.0f / %.0f / %.0f", r.Idle.RSS/mib, r.Pub.RSS/mib, r.All.RSS/mib, r.PubAfter.RSS/mib),
			r.cell("%.0f s", r.Settled.Seconds()),
			r.cell("%.2f", r.perStream().RSS/mib),
			r.cell("%.3f", r.perViewer().RSS/mib),
			r.segmentRate(), r.mbps(), r.Client.CPU, r.errors())
	}
}

// cell formats a server-side figure, or "n/a" when the server's PID is
// unknown.
func (r result) cell(format string, args ...any) string {
	if !r.Measured {
		return "n/a"
	}
	return fmt.Sprintf(format, args...)
}

// streams is the server's cost with publishers only: CPU as the mean of
// the windows before and after the viewers, RSS from the one before (a Go
// heap does not hand memory back at once when viewers leave).
func (r result) streams() usage {
	return usage{CPU: (r.Pub.CPU + r.PubAfter.CPU) / 2, RSS: r.Pub.RSS}
}

// perStream is the publishers' share of the server over its idle baseline.
func (r result) perStream() usage { return r.streams().per(r.Idle, r.Streams) }

// perViewer is what the viewers added over the publishers-only cost.
func (r result) perViewer() usage { return r.All.per(r.streams(), r.Streams*r.Viewers) }

// segmentRate is segment requests (successful or not) per second of the
// measurement window.
func (r result) segmentRate() float64 {
	if r.Window <= 0 {
		return 0
	}
	return float64(r.Counts.segments+r.Counts.segErrors) / r.Window.Seconds()
}

// mbps is the viewers' segment throughput in the measurement window.
func (r result) mbps() float64 {
	if r.Window <= 0 {
		return 0
	}
	return float64(r.Counts.bytes) * 8 / r.Window.Seconds() / 1e6
}

func (r result) errors() string {
	var parts []string
	add := func(n int64, what string) {
		if n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, what))
		}
	}
	add(int64(r.NotReady), "never playable")
	add(int64(r.PubErrors), "publishers failed")
	add(r.Counts.plErrors, "playlist errors")
	add(r.Counts.segErrors, "segment errors")
	add(r.Counts.missed, "segments missed")
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

// writeRatios prints, per stream count, the peer's figures divided by
// StreamHive's (above 1: the peer spends more).
func writeRatios(w *strings.Builder, ours, peers []result) {
	fmt.Fprintf(w, "\n%s ÷ %s (above 1: %s spends more)\n\n", peers[0].Target, ours[0].Target, peers[0].Target)
	fmt.Fprintln(w, "| streams | CPU per stream | CPU per viewer | RSS per stream | RSS per viewer | publish → playable p50 |")
	fmt.Fprintln(w, "| ---: | ---: | ---: | ---: | ---: | ---: |")
	for i := range min(len(ours), len(peers)) {
		a, b := ours[i], peers[i]
		fmt.Fprintf(w, "| %d | %s | %s | %s | %s | %s |\n", a.Streams,
			times(ratio(b.perStream().CPU, a.perStream().CPU)),
			times(ratio(b.perViewer().CPU, a.perViewer().CPU)),
			times(ratio(b.perStream().RSS, a.perStream().RSS)),
			times(ratio(b.perViewer().RSS, a.perViewer().RSS)),
			times(ratio(percentile(b.Ready, 50).Seconds(), percentile(a.Ready, 50).Seconds())))
	}
}

func seconds(d time.Duration) string {
	if d <= 0 {
		return "–"
	}
	return fmt.Sprintf("%.2f s", d.Seconds())
}

func times(x float64) string {
	if x <= 0 {
		return "–"
	}
	return fmt.Sprintf("%.2f×", x)
}
