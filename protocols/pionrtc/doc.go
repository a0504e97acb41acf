// Package pionrtc is the pion setup WebRTC publishing (protocols/whip) and
// playing (protocols/whep) share: the codecs we speak (H.264 and Opus),
// pion's default interceptors (NACK, RTCP reports, TWCC), ICE timeouts,
// pion's logs routed into slog, and the sockets every peer connection
// of a server can share (one UDP port, one ICE-TCP port, the public
// addresses a NAT 1:1 maps to).
package pionrtc
