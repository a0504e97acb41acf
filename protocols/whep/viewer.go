package whep

import (
	"net"

	"streamhive/media"
	"streamhive/media/hub"
)

// Viewer is one WHEP offer with what it plays.
type Viewer struct {
	Name  media.StreamName
	Offer []byte
	// Frames is the viewer's consumer of the stream's hub, starting at a
	// keyframe. The session owns it from Play on (it closes it, also when
	// Play fails).
	Frames *hub.Consumer
	// Select picks the tracks.
	Select Selection
	// Audio says the stream has, or will soon have, an Opus track (an
	// Opus rendition of AAC audio the transcoder makes for WebRTC): the
	// answer then carries an audio track even before one is in the hub.
	Audio bool
	Peer  net.Addr
	// Ended, when it closes, ends the session (kicked, banned, denied at
	// re-authorization). Nil: never.
	Ended <-chan struct{}
	// Sent reports the bytes of RTP written (may be nil).
	Sent func(n int)
	// OnEnd is called once when the session has ended (also when Play
	// fails after it was given the Viewer). May be nil.
	OnEnd func()
}

// Selection picks a viewer's tracks among the stream's (Flussonic's
// start_track and filter.tracks: v2 is the second video track).
type Selection struct {
	// Video is the 1-based index among the stream's H.264 tracks; 0 is
	// the first.
	Video int
	// Audio is the 1-based index among the stream's Opus tracks; 0 is the
	// first.
	Audio   int
	NoVideo bool
	NoAudio bool
}

// pick returns the track IDs a selection plays in list (-1: none).
func (s Selection) pick(list []media.Track) (video, audio int) {
	video, audio = -1, -1
	nv, na := 0, 0
	for _, t := range list {
		switch t.Codec {
		case media.CodecH264:
			nv++
			if !s.NoVideo && video < 0 && nv == max(s.Video, 1) {
				video = t.ID
			}
		case media.CodecOpus:
			na++
			if !s.NoAudio && audio < 0 && na == max(s.Audio, 1) {
				audio = t.ID
			}
		default:
		}
	}
	return video, audio
}

// trackOf returns the track with id in list.
func trackOf(list []media.Track, id int) (media.Track, bool) {
	for _, t := range list {
		if t.ID == id {
			return t, true
		}
	}
	return media.Track{}, false
}
