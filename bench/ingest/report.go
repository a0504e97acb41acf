package main

import (
	"fmt"
	"strings"
)

// writeTable prints the runs as a Markdown table. Per stream figures are
// (with publishers - idle) / N.
func writeTable(w *strings.Builder, rows []row) {
	fmt.Fprintln(w, "| protocol | streams | sent Mbit/s | received Mbit/s | server CPU % (idle) | CPU % per stream | server RSS MiB (idle) | RSS MiB per stream | failed publishers |")
	fmt.Fprintln(w, "| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
	for _, r := range rows {
		fmt.Fprintf(w, "| %s | %d | %.1f | %.1f | %.1f (%.1f) | %.2f | %.0f (%.0f) | %.2f | %d |\n",
			r.proto, r.n, r.sentMbps, r.recvMbps, r.cpu, r.idleCPU, (r.cpu-r.idleCPU)/float64(r.n),
			mib(r.rss), mib(r.idleRSS), mib(r.rss-r.idleRSS)/float64(r.n), r.failed)
	}
}

func mib(b int64) float64 { return float64(b) / (1 << 20) }
