// Package m4f is the framing of StreamHive's inter-node transport (the
// role of Flussonic's m4f://): how the node that captures a stream sends
// its frames to another node that serves it to its own viewers. A
// response body is a sequence of length-delimited protobuf records (the
// m4fpb package, varint length then message, as protodelim writes them):
// a Header, a Tracks record before the first Frame and again whenever the
// track set changes, then one Frame record per media.Frame. Timestamps
// cross unchanged, in nanoseconds, so the receiving node segments on the
// sender's clock.
//
// The framing is a data format, like media/segment's fMP4: the gateway
// writes it (the owner's handler) and protocols/m4f reads it (the
// puller). The Reader bounds every size and count before it allocates
// (Limits), and refuses what media.Track and media.Frame cannot carry.
//
// It imports media only.
package m4f
