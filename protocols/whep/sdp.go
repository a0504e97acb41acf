package whep

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/pion/sdp/v3"
)

// Bounds of what a viewer sends us.
const (
	maxOffer         = 64 << 10 // bytes of an SDP offer
	maxFragment      = 16 << 10 // bytes of a trickle-ICE fragment
	maxFragmentLines = 128
)

// receives is what an offer can take from us.
type receives struct{ video, audio bool }

// offerReceives reads an offer: a media section counts when it is active
// (port not 0), receives (recvonly or sendrecv, the default) and carries
// H.264 in packetization mode 1 (video) or Opus (audio).
func offerReceives(offer []byte) (receives, error) {
	if len(offer) > maxOffer {
		return receives{}, fmt.Errorf("%w: over %d bytes", ErrBadOffer, maxOffer)
	}
	var sd sdp.SessionDescription
	if err := sd.Unmarshal(offer); err != nil {
		return receives{}, fmt.Errorf("%w: %w", ErrBadOffer, err)
	}
	var r receives
	for _, md := range sd.MediaDescriptions {
		if md.MediaName.Port.Value == 0 || !receiving(md) {
			continue
		}
		switch md.MediaName.Media {
		case "video":
			r.video = r.video || hasH264Mode1(md)
		case "audio":
			r.audio = r.audio || len(payloadsOf(md, "opus")) > 0
		}
	}
	return r, nil
}

func receiving(md *sdp.MediaDescription) bool {
	for _, a := range md.Attributes {
		switch a.Key {
		case "sendonly", "inactive":
			return false
		}
	}
	return true
}

// payloadsOf returns the payload types an rtpmap of md maps to codec.
func payloadsOf(md *sdp.MediaDescription, codec string) []string {
	var pts []string
	for _, a := range md.Attributes {
		if a.Key != "rtpmap" {
			continue
		}
		pt, enc, ok := strings.Cut(a.Value, " ")
		name, _, _ := strings.Cut(enc, "/")
		if ok && strings.EqualFold(name, codec) {
			pts = append(pts, pt)
		}
	}
	return pts
}

// hasH264Mode1: one of md's H.264 payload types is packetization mode 1
// (FU-A: we fragment large NAL units).
func hasH264Mode1(md *sdp.MediaDescription) bool {
	for _, pt := range payloadsOf(md, "h264") {
		for _, a := range md.Attributes {
			if a.Key == "fmtp" && strings.HasPrefix(a.Value, pt+" ") && strings.Contains(a.Value, "packetization-mode=1") {
				return true
			}
		}
	}
	return false
}

// fragment is a parsed trickle-ICE SDP fragment (RFC 8840): credentials
// (set: an ICE restart when they differ from the session's) and
// candidates.
type fragment struct {
	ufrag, pwd string
	mid        string
	candidates []string // "candidate:..." attribute values
}

// parseFragment reads the a= lines of a fragment; m= and other lines are
// skipped. Sizes and counts are bounded.
func parseFragment(b []byte) (fragment, error) {
	var f fragment
	if len(b) > maxFragment {
		return f, fmt.Errorf("%w: over %d bytes", ErrBadFragment, maxFragment)
	}
	lines := bytes.Split(b, []byte("\n"))
	if len(lines) > maxFragmentLines {
		return f, fmt.Errorf("%w: over %d lines", ErrBadFragment, maxFragmentLines)
	}
	for _, raw := range lines {
		line := strings.TrimRight(string(raw), "\r")
		attr, ok := strings.CutPrefix(line, "a=")
		if !ok {
			continue
		}
		key, val, _ := strings.Cut(attr, ":")
		switch key {
		case "ice-ufrag":
			f.ufrag = val
		case "ice-pwd":
			f.pwd = val
		case "mid":
			if f.mid == "" {
				f.mid = val
			}
		case "candidate":
			f.candidates = append(f.candidates, attr)
		default: // end-of-candidates, ice-options, ...
		}
	}
	if (f.ufrag == "") != (f.pwd == "") {
		return f, fmt.Errorf("%w: ice-ufrag and ice-pwd go together", ErrBadFragment)
	}
	return f, nil
}
