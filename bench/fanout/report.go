package main

import (
	"fmt"
	"strings"
)

func writeCluster(out *strings.Builder, r clusterRun) {
	copies := 0.0
	if r.sourceKbit > 0 {
		copies = r.uploadKbit / r.sourceKbit
	}
	fmt.Fprintf(out, "Origin's upload in the window: %.0f kbit/s (wchar) for s1's input of %.0f kbit/s: %.2f copies for 2 edges.\n\n",
		r.uploadKbit, r.sourceKbit, copies)
	fmt.Fprintf(out, "m4f pulls the origin served in the whole run: %d", len(r.pulls))
	for _, p := range r.pulls {
		fmt.Fprintf(out, "; %.1f MB over %v (%.0f kbit/s)", float64(p.bytes)/1e6, p.dur.Round(100_000_000), p.kbits())
	}
	out.WriteString(".\n\n")
	writeNodes(out, r.nodes)
	fmt.Fprintf(out, "\nEdge CPU per more viewer (both edges): %.3f %% of one core. ", r.edgePerViewer())
	writeViewers(out, r.viewers, r.load)
}

func writeSingle(out *strings.Builder, c clusterRun, s singleRun) {
	out.WriteString("\nOne node without a cluster, the same viewers on it:\n\n")
	writeNodes(out, []usage{s.node})
	out.WriteString("\n")
	writeViewers(out, s.viewers, s.load)
	if len(c.nodes) == 0 {
		return
	}
	ratio := "n/a"
	if p := s.node.perViewer(); p > 0 {
		ratio = fmt.Sprintf("%.2f", c.edgePerViewer()/p)
	}
	fmt.Fprintf(out, "\nCPU per viewer, edge to single node: %.3f / %.3f = %s.\n", c.edgePerViewer(), s.node.perViewer(), ratio)
}

func writeNodes(out *strings.Builder, us []usage) {
	out.WriteString("| node | viewers | CPU with 1 viewer (origin: none), % | CPU with viewers, % | CPU per viewer, % | RSS with viewers, MiB |\n")
	out.WriteString("| --- | ---: | ---: | ---: | ---: | ---: |\n")
	for _, u := range us {
		fmt.Fprintf(out, "| %s | %d | %.1f | %.1f | %.3f | %.1f |\n", u.node, u.viewers, u.base.CPU, u.with.CPU, u.perViewer(), float64(u.with.RSS)/(1<<20))
	}
}

func writeViewers(out *strings.Builder, o outcome, load string) {
	fmt.Fprintf(out, "Received per viewer: %.2f Mbit/s; viewers failed %d (of them silent %d); failed requests %d; the viewers' process %.0f %% of one core; load average %s.\n",
		o.recvMbps, o.failed, o.silent, o.errors, o.client, load)
}
