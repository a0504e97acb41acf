package vod

import (
	"errors"
	"fmt"
	"time"

	"streamhive/media"
)

// ErrNoVideo is returned by Keyframe for a file without a video track.
var ErrNoVideo = errors.New("vod: the file has no video")

// Keyframe returns the video keyframe nearest before (or at) at, the
// picture a thumbnail of that time shows, with its track and its index
// among the track's samples (a cache key). A time past the end gives the
// last keyframe, one before the start the first.
func (a *Asset) Keyframe(at time.Duration) (media.Track, *media.Frame, int, error) {
	track := a.Tracks()[a.lead]
	if track.Codec.Kind() != media.KindVideo {
		return track, nil, 0, ErrNoVideo
	}
	samples := a.movie.Table(a.lead).Samples
	i := a.first(a.lead, at) // the first sample at or after at
	if i == len(samples) || a.movie.Time(a.lead, i) > at {
		i--
	}
	i = max(i, 0)
	for i > 0 && !samples[i].Sync {
		i--
	}
	for i < len(samples) && !samples[i].Sync { // at before the first keyframe
		i++
	}
	if i == len(samples) {
		return track, nil, 0, fmt.Errorf("%w: no keyframe", ErrCorrupt)
	}
	f, err := a.movie.Frame(a.lead, i)
	if err != nil {
		return track, nil, 0, err
	}
	return track, f, i, nil
}
