package main

import (
	"fmt"
	"strings"
)

// The "per server core" columns scale a rate to 100 % of the server's
// core: on a machine where other work takes the server's core from it
// (a shared test VM), the rate the server reached per CPU second it got.
// On an idle machine the server uses its whole core and the two agree.

// writeServeTable writes the serving table and each server's ratio to the
// bare fasthttp ceiling and to mediamtx.
func writeServeTable(w *strings.Builder, rs []serveResult) {
	fmt.Fprintln(w, "| server | segments Gbit/s | per server core | segment req/s | mean segment MB | server CPU % | loadgen CPU % | errors | LL-HLS playlists/s | per server core | playlist bytes | server CPU % | loadgen CPU % | errors |")
	fmt.Fprintln(w, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
	for _, r := range rs {
		s, p := r.Segments, r.Playlists
		fmt.Fprintf(w, "| %s | %.2f | %.2f | %.0f | %.2f | %.0f | %.0f | %d | %.0f | %.0f | %d | %.0f | %.0f | %d |\n",
			r.Server, s.Gbits(), s.PerCore(s.Gbits()), s.Rate(), s.MeanBody()/1e6, s.ServerCPU, s.ClientCPU, s.Errors,
			p.Rate(), p.PerCore(p.Rate()), r.PlaylistBytes, p.ServerCPU, p.ClientCPU, p.Errors)
	}
	if len(rs) < 2 {
		return
	}
	fmt.Fprintln(w)
	for _, other := range rs[1:] {
		fmt.Fprintf(w, "%s / %s: segments %.2f, playlists %.2f\n", rs[0].Server, other.Server,
			ratio(rs[0].Segments.Gbits(), other.Segments.Gbits()), ratio(rs[0].Playlists.Rate(), other.Playlists.Rate()))
		fmt.Fprintf(w, "%s / %s per server core: segments %.2f, playlists %.2f\n", rs[0].Server, other.Server,
			ratio(rs[0].Segments.PerCore(rs[0].Segments.Gbits()), other.Segments.PerCore(other.Segments.Gbits())),
			ratio(rs[0].Playlists.PerCore(rs[0].Playlists.Rate()), other.Playlists.PerCore(other.Playlists.Rate())))
	}
}
