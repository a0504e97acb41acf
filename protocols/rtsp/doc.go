// Package rtsp adapts RTSP to StreamHive's media model: a pull client for
// rtsp:// and rtsps:// inputs (cameras), a publishing server (encoders
// ANNOUNCE and RECORD to rtsp://HOST:PORT/NAME) that also serves readers
// (rtsp://HOST:PORT/NAME, a Player's frames packetised once per stream in
// a gortsplib ServerStream that all its readers share), and the RTP
// depacketizing the pull client and the publishing server share.
//
// Codecs carried: H.264, H.265, AAC (RFC 3640 MPEG-4 generic) and Opus.
// Other tracks, G.711 among them, are skipped: each skipped track is logged
// and counted once in the input's Errors, and the rest of the source plays.
// A source with nothing we can carry fails with media.ErrUnsupportedCodec.
//
// It is the only package that imports github.com/bluenviron/gortsplib (v4,
// deprecated upstream; v5 is the likely move), and it keeps that library's
// types out of its API. It imports media and nothing else of ours: the rest
// of the server reaches it through Hooks, which the listener actor
// implements.
package rtsp
