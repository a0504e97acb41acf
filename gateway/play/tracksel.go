package play

import (
	"errors"
	"fmt"
)

// TrackSelection is a viewer's choice of tracks by Flussonic's names: v2
// is the second video track, a1 the first audio track.
type TrackSelection struct {
	// Video and Audio are 1-based indexes among the stream's video and
	// audio tracks; 0 is the first.
	Video, Audio     int
	NoVideo, NoAudio bool
}

// maxTrackQuery bounds a track query's length; maxTrackIndex a track's
// number (Flussonic's streams carry tens of tracks at most).
const (
	maxTrackQuery = 64
	maxTrackIndex = 99
)

var errTrackQuery = errors.New("play: bad track selection")

// parseTrackQuery reads start_track (one video track: "v2") and
// filter.tracks ("v1a1", "a2", "v3"): a kind filter.tracks leaves out is
// not played; start_track picks the video rendition and wins over
// filter.tracks' video.
func parseTrackQuery(start, filter []byte) (TrackSelection, error) {
	var s TrackSelection
	if len(start) > maxTrackQuery || len(filter) > maxTrackQuery {
		return s, fmt.Errorf("%w: over %d bytes", errTrackQuery, maxTrackQuery)
	}
	if len(filter) > 0 {
		v, a, err := parseTracks(string(filter))
		if err != nil {
			return s, err
		}
		s.Video, s.Audio, s.NoVideo, s.NoAudio = v, a, v == 0, a == 0
	}
	if len(start) > 0 {
		v, a, err := parseTracks(string(start))
		if err != nil || a != 0 || v == 0 {
			return s, fmt.Errorf("%w: start_track %q names no video track", errTrackQuery, start)
		}
		s.Video, s.NoVideo = v, false
	}
	return s, nil
}

// parseTracks reads "v1a1": the first video and audio index named (0:
// none named). Each kind may appear once.
func parseTracks(q string) (video, audio int, err error) {
	for i := 0; i < len(q); {
		kind := q[i]
		j := i + 1
		n := 0
		for ; j < len(q) && q[j] >= '0' && q[j] <= '9'; j++ {
			n = n*10 + int(q[j]-'0')
			if n > maxTrackIndex {
				return 0, 0, fmt.Errorf("%w: %q: track number over %d", errTrackQuery, q, maxTrackIndex)
			}
		}
		if j == i+1 || n == 0 {
			return 0, 0, fmt.Errorf("%w: %q", errTrackQuery, q)
		}
		switch {
		case kind == 'v' && video == 0:
			video = n
		case kind == 'a' && audio == 0:
			audio = n
		default:
			return 0, 0, fmt.Errorf("%w: %q", errTrackQuery, q)
		}
		i = j
	}
	return video, audio, nil
}
