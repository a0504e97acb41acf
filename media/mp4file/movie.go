package mp4file

import (
	"fmt"
	"io"
	"time"

	"github.com/Eyevinn/mp4ff/mp4"

	"streamhive/media"
)

// Movie is an opened MP4's tracks and sample tables. Its methods are safe
// for concurrent use (the tables never change; sample reads go through
// the io.ReaderAt).
type Movie struct {
	r    io.ReaderAt
	size int64
	// Tracks are the carried tracks, video first, then audio, in file
	// order; Track.ID is the index.
	Tracks []media.Track
	// Subtitles are the text tracks (tx3g, wvtt) with samples, in file order.
	Subtitles []*Subtitle
	// Skipped counts the tracks left out (codecs not carried).
	Skipped int
	tables  []*Table
	origin  time.Duration // the earliest DTS after edit lists: time 0
}

// Table is one track's samples in decoding order.
type Table struct {
	Timescale int64
	Shift     int64 // ticks added to every timestamp (the edit list)
	Samples   []Sample
	audio     bool
	id        uint32 // the file's track_ID, which fragments name
	lastDur   int64  // the last fragment sample's duration
}

// Sample is one sample-table entry, timestamps in the track's timescale.
type Sample struct {
	Offset int64
	Size   uint32
	DTS    int64
	CTO    int32
	Sync   bool
}

// Open reads the tables of the MP4 r holds (size bytes). Errors wrap
// ErrCorrupt for a file that is not an MP4 we can play.
func Open(r io.ReaderAt, size int64) (*Movie, error) {
	top, err := scanTop(r, size)
	if err != nil {
		return nil, err
	}
	var moov *mp4.MoovBox
	var moofs []box
	for _, b := range top {
		switch b.kind {
		case "moov":
			if moov != nil {
				return nil, fmt.Errorf("%w: two moov boxes", ErrCorrupt)
			}
			parsed, err := decode(r, b, maxMoov)
			if err != nil {
				return nil, err
			}
			moov, _ = parsed.(*mp4.MoovBox)
		case "moof":
			if len(moofs) == maxFragments {
				return nil, fmt.Errorf("%w: more than %d fragments", ErrCorrupt, maxFragments)
			}
			moofs = append(moofs, b)
		}
	}
	if moov == nil || moov.Mvhd == nil {
		return nil, fmt.Errorf("%w: no moov box", ErrCorrupt)
	}
	m := &Movie{r: r, size: size}
	if err := m.readTracks(moov, size); err != nil {
		return nil, err
	}
	if len(moofs) > 0 {
		if err := m.readFragments(r, moov, moofs); err != nil {
			return nil, err
		}
	}
	return m, m.finish()
}

// readTracks reads every trak's configuration and progressive sample
// table, video tracks first.
func (m *Movie) readTracks(moov *mp4.MoovBox, fileSize int64) error {
	if len(moov.Traks) > maxTracks {
		return fmt.Errorf("%w: %d tracks", ErrCorrupt, len(moov.Traks))
	}
	movieScale := int64(moov.Mvhd.Timescale)
	for _, kind := range []media.Kind{media.KindVideo, media.KindAudio} {
		for _, trak := range moov.Traks {
			tb, track, err := readTrak(trak, movieScale, fileSize)
			if err != nil {
				return fmt.Errorf("%w: %w", ErrCorrupt, err)
			}
			if tb == nil {
				if kind == media.KindVideo {
					m.readText(trak, movieScale, fileSize)
				}
				continue
			}
			if track.Codec.Kind() != kind {
				continue
			}
			tb.audio = kind == media.KindAudio
			track.ID = len(m.Tracks)
			m.Tracks = append(m.Tracks, track)
			m.tables = append(m.tables, tb)
			tb.id = trak.Tkhd.TrackID
		}
	}
	return nil
}

// readText keeps trak as a subtitle track, or counts it skipped.
func (m *Movie) readText(trak *mp4.TrakBox, movieScale, fileSize int64) {
	s, err := readSubtitle(trak, movieScale, fileSize)
	if err != nil || s == nil {
		m.Skipped++ // a broken text track costs its subtitles, not the file
		return
	}
	m.Subtitles = append(m.Subtitles, s)
}

// finish drops tracks without samples and sets the time origin.
func (m *Movie) finish() error {
	var tracks []media.Track
	var tables []*Table
	for i, tb := range m.tables {
		if len(tb.Samples) == 0 {
			m.Skipped++
			continue
		}
		t := m.Tracks[i]
		t.ID = len(tracks)
		tracks, tables = append(tracks, t), append(tables, tb)
	}
	m.Tracks, m.tables = tracks, tables
	var subs []*Subtitle
	for _, s := range m.Subtitles {
		if len(s.table.Samples) > 0 {
			subs = append(subs, s)
		}
	}
	m.Subtitles = subs
	if len(m.Tracks) == 0 {
		return fmt.Errorf("%w: no H.264, H.265, AAC or Opus track with samples", ErrCorrupt)
	}
	for i, tb := range m.tables {
		if d := tb.time(tb.Samples[0].DTS); i == 0 || d < m.origin {
			m.origin = d
		}
	}
	return nil
}

// Table returns track id's samples.
func (m *Movie) Table(id int) *Table { return m.tables[id] }

// Time returns sample i of track id's DTS from the movie's time 0.
func (m *Movie) Time(id, i int) time.Duration {
	tb := m.tables[id]
	return tb.time(tb.Samples[i].DTS) - m.origin
}

// Duration is the longest track's: its last DTS plus that sample's step.
func (m *Movie) Duration() time.Duration {
	var d time.Duration
	for id, tb := range m.tables {
		n := len(tb.Samples)
		end := m.Time(id, n-1)
		if n > 1 {
			end += end - m.Time(id, n-2)
		}
		d = max(d, end)
	}
	return d
}

// Frame reads sample i of track id as a frame with timestamps from the
// movie's time 0. A video sample whose NAL units do not parse is an error
// wrapping ErrCorrupt.
func (m *Movie) Frame(id, i int) (*media.Frame, error) {
	tb := m.tables[id]
	s := tb.Samples[i]
	if s.Offset < 0 || s.Offset+int64(s.Size) > m.size {
		return nil, fmt.Errorf("%w: sample %d of track %d at %d+%d, past the end of the file", ErrCorrupt, i, id, s.Offset, s.Size)
	}
	buf := make([]byte, s.Size)
	if _, err := m.r.ReadAt(buf, s.Offset); err != nil {
		return nil, fmt.Errorf("mp4file: sample %d of track %d at %d: %w", i, id, s.Offset, err)
	}
	dts := m.Time(id, i)
	f := &media.Frame{
		Track:    id,
		DTS:      dts,
		PTS:      max(tb.time(s.DTS+int64(s.CTO))-m.origin, dts),
		Keyframe: s.Sync || tb.audio,
		Data:     [][]byte{buf},
	}
	if !tb.audio {
		nalus, err := splitAVCC(buf)
		if err != nil {
			return nil, fmt.Errorf("%w: sample %d of track %d: %w", ErrCorrupt, i, id, err)
		}
		f.Data = nalus
	}
	return f, nil
}

// time converts a track timestamp (before shift) to a duration.
func (tb *Table) time(t int64) time.Duration {
	t += tb.Shift
	return time.Duration(t/tb.Timescale)*time.Second + time.Duration(t%tb.Timescale)*time.Second/time.Duration(tb.Timescale)
}

// splitAVCC splits a sample of NAL units with 4-byte lengths (ISO/IEC
// 14496-15 §5.3.2; mp4ff reads only avcC records with 4-byte lengths,
// which is what encoders write), skipping empty ones.
func splitAVCC(b []byte) ([][]byte, error) {
	var out [][]byte
	for len(b) > 0 {
		if len(b) < 4 {
			return nil, fmt.Errorf("truncated NALU length")
		}
		n := int(b[0])<<24 | int(b[1])<<16 | int(b[2])<<8 | int(b[3])
		b = b[4:]
		if n < 0 || n > len(b) {
			return nil, fmt.Errorf("NALU length %d of %d bytes", n, len(b))
		}
		if n > 0 {
			out = append(out, b[:n:n])
		}
		b = b[n:]
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("sample without NAL units")
	}
	return out, nil
}
