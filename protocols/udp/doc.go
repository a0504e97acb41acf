// Package udp implements udp:// inputs: MPEG-TS over UDP, multicast
// (IGMP join, optionally on a chosen interface and source-specific) or
// unicast, plain or RTP-encapsulated (RFC 2250), demuxed by
// protocols/mpegts.
//
// URL forms, as Flussonic writes them:
//
//	udp://239.0.0.1:1234             join on the interface the routing table picks
//	udp://239.0.0.1:1234/10.0.0.5    join on the interface that has 10.0.0.5
//	udp://10.1.1.1@239.0.0.1:1234    source-specific: only from 10.1.1.1
//	udp://239.0.0.1:1234?source=10.1.1.1
//	udp://127.0.0.1:5000             unicast: receive on this local address
//	udp://0.0.0.0:5000, udp://:5000  unicast on every local address
//
// The input's options select the program and PIDs (mpegts.ParseOptions:
// program=N, pids=...). Several inputs may listen to the same group and
// port (one stream per program of an MPTS): the socket is bound with
// SO_REUSEADDR to the group address, so each gets every datagram of its
// group and none of another group on the same port. IPv4 only for
// multicast.
//
// It imports media and protocols/mpegts.
package udp
