// Package chaos is StreamHive's fault-injection harness: the
// parts that `make chaos` (chaos/cmd/chaos) puts together to run the real
// server with real publishers and break things on purpose.
//
//   - TCPProxy and UDPProxy sit on loopback between a publisher and the
//     server: the TCP one can freeze (stop forwarding, keep the
//     connection), the UDP one drops and delays (hence reorders)
//     datagrams.
//   - Viewer follows an HLS stream the way a player does and records every
//     segment: when it appeared, its media timestamps, and anything that
//     would make a player reload.
//   - Server and Publisher run the streamhive binary and ffmpeg.
//
// Nothing here is imported by the server: chaos is a leaf.
package chaos
