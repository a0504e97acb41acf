// Package whip terminates WebRTC-HTTP Ingestion Protocol publishers
// (RFC 9725) with pion: an SDP offer in, an SDP answer out, then H.264 and
// Opus over SRTP turned into media.Tracks and media.Frames for a stream.
// The HTTP side (POST /NAME/whip, DELETE on the session resource) is the
// gateway's; this package gets the offer's bytes and the stream name and
// answers with the answer's bytes and a session ID.
//
// What a session does:
//   - Negotiation is not trickled: Offer gathers every ICE candidate before
//     it answers, so the answer is complete (RFC 9725 allows a server
//     without trickle; the gateway answers PATCH with 405). Candidates are
//     host candidates only (no STUN, no TURN, no mDNS), on the addresses
//     Config.IPFilter keeps; the publisher connects to us.
//   - Media: the first H.264 video and the first Opus audio the offer
//     sends; other codecs are refused in the answer, and an offer with
//     neither is ErrBadOffer. Packets are reordered and reassembled by
//     pion's samplebuilder (its H.264 and Opus depacketizers); NACKs and
//     receiver reports come from pion's default interceptors, and a PLI
//     asks for a keyframe whenever video waits for one.
//   - Timing: each track's RTP clock is anchored at the arrival of its
//     first packet on the session's wall clock, so audio and video line up
//     to within the network's jitter (RTCP sender reports are not used).
//     PTS comes from RTP timestamps; H.264 DTS is derived from PTS and the
//     picture order count (mediacommon's extractor), so B-frames would time
//     correctly too.
//   - Publishing: Hooks.Publish is called at the first video keyframe (with
//     the SPS and PPS that came in band before or with it), or at the first
//     audio packet when the offer carries no video. The timeline starts
//     there; earlier frames are dropped. After a loss, video is dropped
//     until the next keyframe (a PLI asks for one).
//   - A session ends on End (DELETE), on ICE failure or disconnection past
//     pion's timeouts, when ICE does not connect within Config.ConnectTimeout,
//     when the stream refuses the publication, or on Close. Ending closes
//     the peer connection and releases the stream's publisher slot, so the
//     publish:// input goes back to waiting.
package whip
