package config

import (
	"errors"
	"fmt"
	"strconv"
)

// PushTracksOption is the push option that names the tracks a push
// carries: `push rtmp://cdn/app/key tracks=v2a1;`. Flussonic documents no
// push option for this; the value is written the way its track filter
// writes track ids (filter.tracks=v1a1). Without it an RTMP push carries
// the largest video rendition and the first audio track, an MPEG-TS push
// every track.
const PushTracksOption = "tracks"

// TrackID names a track as the Control API's media_info does: v1, v2...
// are the stream's video tracks and a1, a2... its audio tracks, each
// numbered from 1 in track order.
type TrackID struct {
	Video bool
	N     int // 1-based
}

// TrackNumbering hands out the TrackIDs of a stream's tracks in track
// order: the one numbering that media_info shows and tracks= names. The
// zero value starts at v1 and a1.
type TrackNumbering struct{ videos, audios int }

// Next is the id of the next track, a video track or not.
func (n *TrackNumbering) Next(video bool) TrackID {
	if video {
		n.videos++
		return TrackID{Video: true, N: n.videos}
	}
	n.audios++
	return TrackID{N: n.audios}
}

func (id TrackID) String() string {
	if id.Video {
		return "v" + strconv.Itoa(id.N)
	}
	return "a" + strconv.Itoa(id.N)
}

var errTrackIDs = errors.New("want track ids written together, such as v1, a1 or v2a1")

// ParseTrackIDs reads a tracks= value: one or more track ids with nothing
// between them ("v2a1"), each at most once.
func ParseTrackIDs(s string) ([]TrackID, error) {
	if s == "" {
		return nil, errTrackIDs
	}
	var ids []TrackID
	for i := 0; i < len(s); {
		if s[i] != 'v' && s[i] != 'a' {
			return nil, fmt.Errorf("%q: %w", s, errTrackIDs)
		}
		j := i + 1
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		n, err := strconv.Atoi(s[i+1 : j])
		if err != nil || n < 1 || n > maxTrackNumber {
			return nil, fmt.Errorf("%q: %w", s, errTrackIDs)
		}
		id := TrackID{Video: s[i] == 'v', N: n}
		for _, o := range ids {
			if o == id {
				return nil, fmt.Errorf("%q names %s twice", s, id)
			}
		}
		ids = append(ids, id)
		i = j
	}
	return ids, nil
}

// maxTrackNumber bounds a track number: no stream has this many tracks,
// and a bound keeps a typo like v99999999999999999999 an error rather than
// an overflow.
const maxTrackNumber = 999

// PushCarriesOneRendition reports whether a push to url has room for one
// video and one audio track (RTMP's FLV tags), rather than a program of
// any number of them (MPEG-TS over SRT or UDP).
func PushCarriesOneRendition(url string) bool {
	sc := urlScheme(url)
	return sc == "rtmp" || sc == "rtmps"
}

// checkPushTracks checks a push's tracks= value: track ids, and for a
// one-rendition target at most one of each kind.
func checkPushTracks(url, value string) error {
	ids, err := ParseTrackIDs(value)
	if err != nil {
		return err
	}
	if !PushCarriesOneRendition(url) {
		return nil
	}
	var videos, audios int
	for _, id := range ids {
		if id.Video {
			videos++
		} else {
			audios++
		}
	}
	if videos > 1 || audios > 1 {
		return fmt.Errorf("%q: an RTMP push carries one video and one audio track", value)
	}
	return nil
}
