package mp4file

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/Eyevinn/mp4ff/bits"
	"github.com/Eyevinn/mp4ff/mp4"
)

// ErrCorrupt is returned for a file that is not MP4 or whose boxes or
// tables contradict each other or exceed the bounds below.
var ErrCorrupt = errors.New("mp4file: corrupt or unsupported MP4")

// Bounds checked before anything is allocated. A real moov of a two-hour
// film with several tracks is a few MiB; a moof of a few seconds is KiB.
const (
	maxMoov       = 64 << 20
	maxMoof       = 4 << 20
	maxTopBoxes   = 200_000 // moof+mdat pairs of a long fragmented file
	maxFragments  = 100_000
	maxSamples    = 10_000_000 // per track: 46 h of 60 fps video
	maxSampleSize = 16 << 20   // one sample; as mpegts bounds a PES unit
	maxTracks     = 64
)

// box is a top-level box's place in the file.
type box struct {
	kind   string
	start  int64
	size   int64 // whole box, header included
	header int64
}

// scanTop lists the top-level boxes by their headers alone.
func scanTop(r io.ReaderAt, size int64) ([]box, error) {
	var out []box
	var hdr [16]byte
	for pos := int64(0); pos < size; {
		if len(out) == maxTopBoxes {
			return nil, fmt.Errorf("%w: more than %d top-level boxes", ErrCorrupt, maxTopBoxes)
		}
		if size-pos < 8 {
			return nil, fmt.Errorf("%w: %d stray bytes at the end", ErrCorrupt, size-pos)
		}
		if _, err := r.ReadAt(hdr[:8], pos); err != nil {
			return nil, fmt.Errorf("mp4file: box header at %d: %w", pos, err)
		}
		b := box{kind: string(hdr[4:8]), start: pos, size: int64(binary.BigEndian.Uint32(hdr[:4])), header: 8}
		switch b.size {
		case 0: // to the end of the file
			b.size = size - pos
		case 1:
			if size-pos < 16 {
				return nil, fmt.Errorf("%w: box header at %d cut off", ErrCorrupt, pos)
			}
			if _, err := r.ReadAt(hdr[8:16], pos+8); err != nil {
				return nil, fmt.Errorf("mp4file: box header at %d: %w", pos, err)
			}
			large := binary.BigEndian.Uint64(hdr[8:16])
			if large > uint64(size) {
				return nil, fmt.Errorf("%w: %s box at %d claims %d bytes of a %d-byte file", ErrCorrupt, b.kind, pos, large, size)
			}
			b.size, b.header = int64(large), 16
		}
		if b.size < b.header || b.size > size-pos {
			return nil, fmt.Errorf("%w: %s box at %d claims %d bytes, %d left", ErrCorrupt, printable(b.kind), pos, b.size, size-pos)
		}
		out = append(out, b)
		pos += b.size
	}
	return out, nil
}

// decode reads a box whole (at most limit bytes) and parses it with mp4ff.
func decode(r io.ReaderAt, b box, limit int64) (mp4.Box, error) {
	if b.size > limit {
		return nil, fmt.Errorf("%w: %s box of %d bytes (at most %d)", ErrCorrupt, b.kind, b.size, limit)
	}
	buf := make([]byte, b.size)
	if _, err := r.ReadAt(buf, b.start); err != nil {
		return nil, fmt.Errorf("mp4file: %s box at %d: %w", b.kind, b.start, err)
	}
	return safeDecode(b, buf)
}

// safeDecode turns a panic inside mp4ff on a corrupt box into ErrCorrupt:
// the bytes come from outside, and one bad file must not take the server
// down with it.
func safeDecode(b box, buf []byte) (out mp4.Box, err error) {
	defer func() {
		if p := recover(); p != nil {
			out, err = nil, fmt.Errorf("%w: %s box at %d: %v", ErrCorrupt, b.kind, b.start, p)
		}
	}()
	out, err = mp4.DecodeBoxSR(uint64(b.start), bits.NewFixedSliceReader(buf))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	return out, nil
}

// printable quotes a box type that is not text (a corrupt header).
func printable(s string) string {
	for _, c := range []byte(s) {
		if c < 0x20 || c > 0x7e {
			return fmt.Sprintf("%q", s)
		}
	}
	return s
}
