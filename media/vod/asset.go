package vod

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"streamhive/media"
	"streamhive/media/mp4file"
	"streamhive/media/segment"
)

// DefaultSegmentDuration is the target of a VOD segment: cut at the first
// keyframe once this much has passed. A vod location takes the same
// segment_duration option as a stream (flussonic.yaml: 1..15 s) and
// Flussonic's VOD pages name no default of their own, so it is the
// stream default.
const DefaultSegmentDuration = segment.DefaultSegmentDuration

// ErrCorrupt is returned for a file that is not an MP4 we can play (it is mp4file.ErrCorrupt).
var ErrCorrupt = mp4file.ErrCorrupt

// Asset is an opened MP4 of a storage: its tables and its segment layout.
// Safe for concurrent use; Close once nobody reads it.
type Asset struct {
	file  File
	movie *mp4file.Movie
	init  *segment.Init
	lead  int             // the track whose keyframes cut segments
	cuts  []time.Duration // segment k starts at cuts[k]; the last entry is the end
}

// OpenAsset opens path in st and reads its tables. A file that is not a
// playable MP4 gives an error wrapping ErrCorrupt.
func OpenAsset(ctx context.Context, st Storage, path string, target time.Duration) (*Asset, error) {
	f, err := st.Open(ctx, path)
	if err != nil {
		return nil, err
	}
	a, err := newAsset(f, target)
	if err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("vod: %s: %w", path, err)
	}
	return a, nil
}

func newAsset(f File, target time.Duration) (*Asset, error) {
	if target <= 0 {
		target = DefaultSegmentDuration
	}
	m, err := mp4file.Open(f, f.Size())
	if err != nil {
		return nil, err
	}
	a := &Asset{file: f, movie: m}
	seg := segment.New(segment.Config{})
	if err := seg.SetTracks(m.Tracks); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	a.init = seg.Window().Init
	for id, t := range m.Tracks {
		if t.Codec.Kind() == media.KindVideo {
			a.lead = id
			break
		}
	}
	a.layout(target)
	return a, nil
}

// layout places the cuts: at the lead track's first sample, then at each
// keyframe at least target after the previous cut (half a frame early,
// as the live segmenter does, so rounding costs no GOP).
func (a *Asset) layout(target time.Duration) {
	samples := a.movie.Table(a.lead).Samples
	a.cuts = []time.Duration{0}
	step := time.Duration(0)
	for i := 1; i < len(samples); i++ {
		at := a.movie.Time(a.lead, i)
		step = at - a.movie.Time(a.lead, i-1)
		if samples[i].Sync && at-a.cuts[len(a.cuts)-1]+step/2 >= target {
			a.cuts = append(a.cuts, at)
		}
	}
	a.cuts = append(a.cuts, max(a.movie.Duration(), a.cuts[len(a.cuts)-1]+step))
}

// Tracks are the file's tracks (ID = index).
func (a *Asset) Tracks() []media.Track { return a.movie.Tracks }

// Init is the CMAF init segment of each track.
func (a *Asset) Init() *segment.Init { return a.init }

// Segments is how many segments the file is cut into.
func (a *Asset) Segments() int { return len(a.cuts) - 1 }

// Duration is the file's.
func (a *Asset) Duration() time.Duration { return a.cuts[len(a.cuts)-1] }

// Span returns segment k's start and duration.
func (a *Asset) Span(k int) (start, length time.Duration) {
	return a.cuts[k], a.cuts[k+1] - a.cuts[k]
}

// TrackStart returns the time of track id's first sample in segment k (at
// or after the segment's start), or the track's end past its last sample.
func (a *Asset) TrackStart(id, k int) time.Duration {
	i := a.first(id, a.cuts[k])
	if i == len(a.movie.Table(id).Samples) {
		return a.cuts[len(a.cuts)-1]
	}
	return a.movie.Time(id, i)
}

// Size is the file's size in bytes.
func (a *Asset) Size() int64 { return a.file.Size() }

// File is the opened file (byte ranges read it directly).
func (a *Asset) File() File { return a.file }

// Close closes the file.
func (a *Asset) Close() error { return a.file.Close() }

// first returns the index of track id's first sample at or after t.
func (a *Asset) first(id int, t time.Duration) int {
	n := len(a.movie.Table(id).Samples)
	return sort.Search(n, func(i int) bool { return a.movie.Time(id, i) >= t })
}

// ErrNoSegment is returned for a segment number past the file's last.
var ErrNoSegment = errors.New("vod: no such segment")
