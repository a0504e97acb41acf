// Package whep plays streams to WebRTC viewers (WHEP, the WebRTC-HTTP
// egress protocol) with pion: an SDP offer in, an SDP answer out, then the
// frames of a hub consumer as H.264 and Opus over SRTP. The HTTP side
// (POST /NAME/whep, PATCH and DELETE on the session resource) is the
// gateway's; this package gets the offer's bytes and a consumer of the
// stream and answers with the answer's bytes and a session ID.
//
// What a session does:
//   - Negotiation: Play gathers every ICE candidate of ours before it
//     answers; the viewer may trickle its own candidates (Trickle) and
//     restart ICE (a fragment with new credentials gets ours back).
//     Candidates are host candidates, on the shared sockets of a
//     pionrtc.Net when one is given (one UDP port for every peer, ICE-TCP,
//     public addresses of a NAT 1:1).
//   - Media: one H.264 video track (the Viewer's choice among the
//     stream's video renditions) and one Opus audio track, as far as the
//     offer receives them; an offer that receives neither is ErrBadOffer
//     wrapping media.ErrUnsupportedCodec.
//   - Packetisation is shared: each frame becomes RTP payloads once
//     (payloadCache, keyed by the immutable frame), whatever the number
//     of viewers; a viewer writes them with its own header only (SSRC,
//     sequence numbers, a random timestamp origin).
//   - A viewer starts at a keyframe (the consumer's GOP start) once ICE
//     and DTLS are up, so no frame is written into an unconnected
//     transport. NACKs are answered by pion's interceptors from their
//     send buffer. A PLI (or FIR) is answered at the next keyframe: the
//     encoder upstream cannot be asked, a cached GOP is older than what
//     the viewer decoded (see readRTCP), and until that keyframe the
//     viewer's video skips the frames its decoder could not use.
//   - A session ends on End (DELETE), when the Viewer's Ended channel
//     closes (kicked, banned), on ICE failure or when ICE does not connect
//     within Config.ConnectTimeout, when the stream ends, or on Close.
//     Ending closes the peer connection and the consumer, then calls the
//     Viewer's OnEnd once.
package whep
