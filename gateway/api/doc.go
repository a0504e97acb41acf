// Package api serves the Control API (Flussonic's /streamer/api/v3/, and
// the alias /flussonic/api/v3/) over fasthttp: streams, templates, DVRs,
// the server config, and the monitoring probes. Shapes, field names and
// list envelopes follow shared/flussonic-openapi/flussonic.yaml; the items
// themselves are the config package's model, whose JSON tags are the
// API's names.
//
// Reads are answered from the immutable configuration snapshot and the
// streams' published stats (Control), which arrive as plain reports
// (media/stats) and leave as the API's runtime JSON in one place
// (wire_*.go: stream_stats, input_stats, push_stats, dvr_info, the
// transcoder's counters); writes become config.Change values
// applied through Control.Apply, which validates and persists them. The
// merge rules of PUT (partial merge, null removes, "$reset") belong to the
// config package: handlers pass the body through untouched.
//
// fasthttp recycles a RequestCtx and every byte slice it hands out once the
// handler returns: nothing from a request outlives its handler without a
// copy, and no RequestCtx is ever passed to Control.
//
// This package imports actors/config and media only; never protocols or
// supervision.
package api
