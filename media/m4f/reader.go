package m4f

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"time"

	"google.golang.org/protobuf/encoding/protodelim"

	"streamhive/media"
	"streamhive/media/m4f/m4fpb"
)

// Reader reads the records a Writer wrote. It is for one goroutine.
type Reader struct {
	r      *bufio.Reader
	stream string
	began  bool
	tracks map[int]bool // IDs of the current track list
}

// NewReader returns a Reader of r's records.
func NewReader(r io.Reader) *Reader {
	return &Reader{r: bufio.NewReaderSize(r, 64<<10)}
}

// Stream returns the stream name the Header carried ("" before it).
func (r *Reader) Stream() string { return r.stream }

// Next returns the next track list or frame: exactly one of tracks and f
// is set. The Header is read on the way. At a clean end between records
// it returns io.EOF; a record cut short returns io.ErrUnexpectedEOF; a
// record that breaks the framing or its limits wraps ErrMalformed (or
// ErrVersion). The values returned are the caller's.
func (r *Reader) Next() (tracks []media.Track, f *media.Frame, err error) {
	for {
		rec := &m4fpb.Record{}
		if err := (protodelim.UnmarshalOptions{MaxSize: MaxRecord}).UnmarshalFrom(r.r, rec); err != nil {
			return nil, nil, readError(err)
		}
		if !r.began {
			if err := r.header(rec.GetHeader()); err != nil {
				return nil, nil, err
			}
			continue
		}
		switch k := rec.Kind.(type) {
		case *m4fpb.Record_Tracks:
			tracks, err = r.trackList(k.Tracks)
			return tracks, nil, err
		case *m4fpb.Record_Frame:
			f, err = r.frame(k.Frame)
			return nil, f, err
		default:
			return nil, nil, fmt.Errorf("%w: a record of no known kind after the header", ErrMalformed)
		}
	}
}

// readError maps protodelim's errors: a clean EOF stays io.EOF, a record
// cut short is io.ErrUnexpectedEOF, the rest is malformed.
func readError(err error) error {
	var tooLarge *protodelim.SizeTooLargeError
	switch {
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return err
	case errors.As(err, &tooLarge):
		return fmt.Errorf("%w: a record of %d bytes (at most %d)", ErrMalformed, tooLarge.Size, MaxRecord)
	}
	var netErr interface{ Timeout() bool }
	if errors.As(err, &netErr) {
		return err // the transport's, not the framing's
	}
	return fmt.Errorf("%w: %w", ErrMalformed, err)
}

func (r *Reader) header(h *m4fpb.Header) error {
	switch {
	case h == nil:
		return fmt.Errorf("%w: the first record is not a header", ErrMalformed)
	case h.Version != Version:
		return fmt.Errorf("%w: version %d (this node speaks %d)", ErrVersion, h.Version, Version)
	}
	r.began, r.stream = true, h.Stream
	return nil
}

func (r *Reader) trackList(pb *m4fpb.Tracks) ([]media.Track, error) {
	if n := len(pb.Tracks); n == 0 || n > MaxTracks {
		return nil, fmt.Errorf("%w: %d tracks (1 to %d)", ErrMalformed, n, MaxTracks)
	}
	ids := make(map[int]bool, len(pb.Tracks))
	list := make([]media.Track, len(pb.Tracks))
	for i, t := range pb.Tracks {
		tr, err := trackFromPB(t)
		if err != nil {
			return nil, err
		}
		if ids[tr.ID] {
			return nil, fmt.Errorf("%w: track ID %d twice", ErrMalformed, tr.ID)
		}
		ids[tr.ID] = true
		list[i] = tr
	}
	r.tracks = ids
	return list, nil
}

func (r *Reader) frame(pb *m4fpb.Frame) (*media.Frame, error) {
	switch n := len(pb.Data); {
	case r.tracks == nil:
		return nil, fmt.Errorf("%w: a frame before any track list", ErrMalformed)
	case !r.tracks[int(pb.Track)]:
		return nil, fmt.Errorf("%w: a frame of track %d, which the track list lacks", ErrMalformed, pb.Track)
	case n == 0 || n > MaxUnits:
		return nil, fmt.Errorf("%w: a frame of %d units (1 to %d)", ErrMalformed, n, MaxUnits)
	}
	for _, u := range pb.Data {
		if len(u) == 0 {
			return nil, fmt.Errorf("%w: an empty unit in a frame of track %d", ErrMalformed, pb.Track)
		}
	}
	return &media.Frame{
		Track: int(pb.Track), DTS: time.Duration(pb.Dts), PTS: time.Duration(pb.Pts),
		Keyframe: pb.Keyframe, Data: pb.Data,
	}, nil
}
