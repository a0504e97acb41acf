package file

import (
	"errors"
	"fmt"
	"io"
	"time"

	"streamhive/media"
	"streamhive/media/mp4file"
)

// mp4Source plays an MP4's tracks (media/mp4file, the reader VOD shares),
// merged in DTS order.
type mp4Source struct {
	f      *input
	stats  *media.InputStats
	movie  *mp4file.Movie
	cursor []int // per track, the next sample
}

func openMP4(f *input, stats *media.InputStats) (source, error) {
	movie, err := mp4file.Open(f, f.Size())
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrUnsupported, f.name, err)
	}
	return &mp4Source{f: f, stats: stats, movie: movie, cursor: make([]int, len(movie.Tracks))}, nil
}

func (s *mp4Source) tracks() []media.Track { return s.movie.Tracks }
func (s *mp4Source) close() error          { return s.f.Close() }

// next returns the sample with the lowest DTS among the tracks. A video
// sample whose NAL units do not parse is counted and skipped.
func (s *mp4Source) next() (*media.Frame, error) {
	for {
		pick := -1
		var at time.Duration
		for id, i := range s.cursor {
			if i < len(s.movie.Table(id).Samples) {
				if d := s.movie.Time(id, i); pick < 0 || d < at {
					pick, at = id, d
				}
			}
		}
		if pick < 0 {
			return nil, io.EOF
		}
		i := s.cursor[pick]
		s.cursor[pick]++
		s.stats.Bytes.Add(uint64(s.movie.Table(pick).Samples[i].Size))
		f, err := s.movie.Frame(pick, i)
		if err != nil {
			if errors.Is(err, mp4file.ErrCorrupt) {
				s.stats.Errors.Add(1)
				continue
			}
			return nil, fmt.Errorf("file: %s: %w", s.f.name, err)
		}
		return f, nil
	}
}
