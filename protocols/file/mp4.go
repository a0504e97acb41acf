package file

// mp4ff is imported here although STYLE.md keeps it to media/segment:
// media/segment writes fMP4 and exposes no reader, and reading a
// progressive file's sample tables (stts, ctts, stsc, stsz, stco/co64,
// stss, elst) is input adaptation, which belongs in protocols/. Keeping
// the import to this one file means an mp4ff upgrade touches
// media/segment and this file only.

import (
	"fmt"
	"io"
	"time"

	"github.com/Eyevinn/mp4ff/mp4"

	"streamhive/media"
)

// maxSample bounds one sample read from a file, as mpegts bounds a PES
// unit: a table that claims more is corrupt.
const maxSample = 16 << 20

// mp4Source plays a progressive MP4's tracks, merged in DTS order.
type mp4Source struct {
	f      *input
	stats  *media.InputStats
	list   []media.Track
	traks  []*mp4Track
	origin time.Duration // the earliest DTS after edit lists: time 0
}

// mp4Track is one track's samples and where the next one is.
type mp4Track struct {
	id        int
	codec     media.Codec
	timescale int64
	shift     int64 // ticks added to every timestamp (the edit list)
	samples   []sample
	next      int
}

// sample is one sample-table entry, timestamps in the track's timescale.
type sample struct {
	offset int64
	size   uint32
	dts    int64
	cto    int32
	sync   bool
}

func openMP4(f *input, stats *media.InputStats) (source, error) {
	parsed, err := mp4.DecodeFile(f, mp4.WithDecodeMode(mp4.DecModeLazyMdat))
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrUnsupported, f.name, err)
	}
	if parsed.IsFragmented() || parsed.Moov == nil {
		return nil, fmt.Errorf("%w: %s is fragmented MP4 (or has no moov); only progressive MP4 plays", ErrUnsupported, f.name)
	}
	s := &mp4Source{f: f, stats: stats}
	movieScale := int64(parsed.Moov.Mvhd.Timescale)
	for _, kind := range []media.Kind{media.KindVideo, media.KindAudio} {
		for _, trak := range parsed.Moov.Traks {
			tr, track, err := readTrak(trak, movieScale)
			if err != nil {
				return nil, fmt.Errorf("%w: %s: %w", ErrUnsupported, f.name, err)
			}
			if tr == nil || track.Codec.Kind() != kind || len(tr.samples) == 0 {
				continue
			}
			tr.id, track.ID = len(s.list), len(s.list)
			s.traks = append(s.traks, tr)
			s.list = append(s.list, track)
		}
	}
	if len(s.list) == 0 {
		return nil, fmt.Errorf("%w: %s has no H.264, H.265, AAC or Opus track", ErrUnsupported, f.name)
	}
	s.alignStart()
	return s, nil
}

// alignStart makes the earliest DTS (after edit lists) time 0, moving
// every track by the same amount so that they stay in sync.
func (s *mp4Source) alignStart() {
	for i, tr := range s.traks {
		if d := tr.time(tr.samples[0].dts); i == 0 || d < s.origin {
			s.origin = d
		}
	}
}

// time converts a track timestamp (before shift) to a duration.
func (tr *mp4Track) time(t int64) time.Duration {
	t += tr.shift
	return time.Duration(t/tr.timescale)*time.Second + time.Duration(t%tr.timescale)*time.Second/time.Duration(tr.timescale)
}

func (s *mp4Source) tracks() []media.Track { return s.list }
func (s *mp4Source) close() error          { return s.f.Close() }

// next returns the sample with the lowest DTS among the tracks. A video
// sample whose NAL units do not parse is counted and skipped.
func (s *mp4Source) next() (*media.Frame, error) {
	for {
		var pick *mp4Track
		var at time.Duration
		for _, tr := range s.traks {
			if tr.next < len(tr.samples) {
				if d := tr.time(tr.samples[tr.next].dts); pick == nil || d < at {
					pick, at = tr, d
				}
			}
		}
		if pick == nil {
			return nil, io.EOF
		}
		smp := pick.samples[pick.next]
		pick.next++
		buf := make([]byte, smp.size)
		if _, err := s.f.ReadAt(buf, smp.offset); err != nil {
			return nil, fmt.Errorf("file: %s: sample at %d: %w", s.f.name, smp.offset, err)
		}
		s.stats.Bytes.Add(uint64(len(buf)))
		f := &media.Frame{
			Track:    pick.id,
			DTS:      at - s.origin,
			PTS:      max(pick.time(smp.dts+int64(smp.cto))-s.origin, at-s.origin),
			Keyframe: smp.sync || pick.codec.Kind() == media.KindAudio,
			Data:     [][]byte{buf},
		}
		if pick.codec.Kind() == media.KindVideo {
			nalus, err := splitAVCC(buf)
			if err != nil {
				s.stats.Errors.Add(1)
				continue
			}
			f.Data = nalus
		}
		return f, nil
	}
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
