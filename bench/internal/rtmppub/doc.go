// Package rtmppub is the RTMP publisher the benchmarks share (bench/loadgen,
// bench/ingest): it parses a pre-encoded FLV file once and replays its tags
// to an RTMP server in real time, looping with advancing timestamps, so
// publishing costs the client no encoder time. protocols/rtmp exposes no
// publisher of its own; this one is go-rtmp's client.
package rtmppub
