// Package srt carries MPEG-TS over SRT (Secure Reliable Transport) in both
// directions a Flussonic origin ingests it: a listener Server that
// encoders publish to (routed by their streamid, optionally encrypted with
// a passphrase), and a caller Puller for `input srt://HOST:PORT` inputs.
// The payload is demuxed by protocols/mpegts; gosrt's connection
// statistics (loss, retransmissions, RTT) are copied into
// media.InputStats.SRT.
//
// Only this package imports github.com/datarhei/gosrt. It imports media
// and protocols/mpegts, never actors.
package srt
