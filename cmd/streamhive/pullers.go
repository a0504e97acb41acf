package main

import (
	"crypto/tls"
	"time"

	"streamhive/actors/cluster"
	"streamhive/actors/input"
	"streamhive/protocols/fake"
	"streamhive/protocols/file"
	"streamhive/protocols/hlspull"
	"streamhive/protocols/m4f"
	"streamhive/protocols/mpegts"
	"streamhive/protocols/rtmp"
	"streamhive/protocols/rtsp"
	"streamhive/protocols/srt"
	"streamhive/protocols/tshttp"
	"streamhive/protocols/udp"
)

// pullers wires the protocol clients into the input actors by URL scheme.
// publish:// is built in (actors/input): the RTMP, SRT and RTSP listeners
// feed it. keyOf returns the key whose proof an m4f:// pull from host
// carries: the running configuration's cluster_key, or a `source` line's;
// m4fTLS verifies owners over https (a cluster's trust; nil: the system's);
// protects says whether a pulling stream encrypts its outputs itself (its
// owner serves a protected stream's frames only then).
func pullers(keyOf func(host string) string, m4fTLS *tls.Config, protects func(name string) bool) input.Pullers {
	// What no restart fixes in an MPEG-TS pull: the input stops for good.
	tsPermanent := []error{mpegts.ErrBadOptions, mpegts.ErrNoProgram}
	tsHTTP := input.PermanentOn(tshttp.Puller{}, append(tsPermanent, tshttp.ErrBadURL)...)
	rtspPuller := input.PermanentOn(&rtsp.Puller{}, rtsp.ErrBadURL, rtsp.ErrBadOption)
	hlsPuller := input.PermanentOn(hlspull.Puller{},
		append(tsPermanent, hlspull.ErrBadURL, hlspull.ErrBadOptions, hlspull.ErrUnsupported)...)
	m4fPuller := input.PermanentOn(m4f.Puller{Client: m4f.NewClient(m4fTLS), Proof: func(host string) (string, string) {
		key := keyOf(host)
		if key == "" {
			return "", "" // no key, no proof: the owner refuses, and says so
		}
		return cluster.KeyHeader, cluster.KeyProof(key, time.Now())
	}, Protects: protects}, m4f.ErrBadURL)
	return input.Pullers{
		"fake":    fake.Puller{},
		"rtmp":    &rtmp.Puller{},
		"udp":     input.PermanentOn(udp.Puller{}, append(tsPermanent, udp.ErrBadURL)...),
		"tshttp":  tsHTTP,
		"tshttps": tsHTTP,
		"http":    tsHTTP,
		"https":   tsHTTP,
		"file":    input.PermanentOn(file.Puller{}, append(tsPermanent, file.ErrBadURL, file.ErrUnsupported)...),
		"srt":     input.PermanentOn(srt.Puller{}, append(tsPermanent, srt.ErrBadURL, srt.ErrBadOptions)...),
		"rtsp":    rtspPuller,
		"rtsps":   rtspPuller,
		"hls":     hlsPuller,
		"hlss":    hlsPuller,
		"m4f":     m4fPuller,
		"m4fs":    m4fPuller,
	}
}
