package whip

import (
	"fmt"
	"strings"

	"github.com/pion/sdp/v3"

	"streamhive/media"
)

// wants are the tracks a session expects: what our answer accepted.
type wants struct{ video, audio bool }

// String names them for logs.
func (w wants) String() string {
	switch {
	case w.video && w.audio:
		return "h264+opus"
	case w.video:
		return "h264"
	default:
		return "opus"
	}
}

// acceptedTracks reads our answer: a media section counts when it is
// active (port not 0), receives (recvonly or sendrecv, the default) and
// carries the codec we take for its kind. Neither is ErrBadOffer wrapping
// media.ErrUnsupportedCodec.
func acceptedTracks(answer string) (wants, error) {
	var sd sdp.SessionDescription
	if err := sd.UnmarshalString(answer); err != nil {
		return wants{}, fmt.Errorf("%w: our answer does not parse: %w", ErrBadOffer, err)
	}
	var w wants
	for _, md := range sd.MediaDescriptions {
		if md.MediaName.Port.Value == 0 || !receives(md) {
			continue
		}
		switch md.MediaName.Media {
		case "video":
			w.video = w.video || hasCodec(md, "h264")
		case "audio":
			w.audio = w.audio || hasCodec(md, "opus")
		}
	}
	if !w.video && !w.audio {
		return w, fmt.Errorf("%w: it sends neither H.264 video nor Opus audio: %w", ErrBadOffer, media.ErrUnsupportedCodec)
	}
	return w, nil
}

func receives(md *sdp.MediaDescription) bool {
	for _, a := range md.Attributes {
		switch a.Key {
		case "sendonly", "inactive":
			return false
		}
	}
	return true
}

// hasCodec reports whether an rtpmap of md names codec.
func hasCodec(md *sdp.MediaDescription, codec string) bool {
	for _, a := range md.Attributes {
		if a.Key != "rtpmap" {
			continue
		}
		_, enc, ok := strings.Cut(a.Value, " ")
		name, _, _ := strings.Cut(enc, "/")
		if ok && strings.EqualFold(name, codec) {
			return true
		}
	}
	return false
}
