package segment

import (
	"encoding/binary"
	"math"

	"github.com/Eyevinn/mp4ff/mp4"
)

// appendMoof appends a fragment's moof box and its mdat's header for
// samples of track 1 starting at decode time base: the bytes mp4ff's
// CreateFragment(seq, 1), AddSamples and Encode write (tfhd with
// default-base-is-moof, tfdt version 1 only past 32 bits, a version-1 trun
// with data offset, duration, size, flags and composition offset per
// sample), without the dozen objects and writers mp4ff allocates per
// fragment: one fragment per track per LL-HLS part, on every stream.
// TestMoofMatchesMP4ff holds it to mp4ff's output.
func appendMoof(buf []byte, seq uint32, base uint64, samples []mp4.Sample) []byte {
	l := layoutOf(base, samples)
	b := binary.BigEndian
	buf = box(buf, l.moof, "moof")
	buf = box(buf, 16, "mfhd")
	buf = b.AppendUint32(b.AppendUint32(buf, 0), seq)
	buf = box(buf, l.traf, "traf")
	buf = box(buf, 16, "tfhd")
	buf = b.AppendUint32(b.AppendUint32(buf, 0x020000), 1) // default-base-is-moof; track 1
	if l.tfdt64 {
		buf = box(buf, 20, "tfdt")
		buf = b.AppendUint32(buf, 1<<24) // version 1
		buf = b.AppendUint64(buf, base)
	} else {
		buf = box(buf, 16, "tfdt")
		buf = b.AppendUint32(buf, 0)
		buf = b.AppendUint32(buf, uint32(base))
	}
	buf = box(buf, l.trun, "trun")
	buf = b.AppendUint32(buf, 1<<24|0xf01) // version 1: signed offsets; every field present
	buf = b.AppendUint32(buf, uint32(len(samples)))
	buf = b.AppendUint32(buf, uint32(l.moof+l.mdatHeader)) // data offset: from the moof to the samples
	for _, s := range samples {
		buf = b.AppendUint32(buf, s.Dur)
		buf = b.AppendUint32(buf, s.Size)
		buf = b.AppendUint32(buf, s.Flags)
		buf = b.AppendUint32(buf, uint32(s.CompositionTimeOffset))
	}
	if l.mdatHeader == 16 {
		buf = b.AppendUint32(buf, 1)
		buf = append(buf, "mdat"...)
		return b.AppendUint64(buf, l.data+16)
	}
	return box(buf, int(l.data)+8, "mdat")
}

// box appends a box header: its size, header included, and its type.
func box(buf []byte, size int, typ string) []byte {
	return append(binary.BigEndian.AppendUint32(buf, uint32(size)), typ...)
}

// moofLayout is the sizes of a fragment's boxes, which appendMoof writes
// and fragmentSize adds up.
type moofLayout struct {
	tfdt64           bool // tfdt version 1: the base decode time is past 32 bits
	trun, traf, moof int
	mdatHeader       int
	data             uint64 // the samples' bytes
}

func layoutOf(base uint64, samples []mp4.Sample) moofLayout {
	l := moofLayout{tfdt64: base > math.MaxUint32, trun: 20 + 16*len(samples), mdatHeader: 8}
	tfdt := 16
	if l.tfdt64 {
		tfdt = 20
	}
	l.traf = 8 + 16 + tfdt + l.trun
	l.moof = 8 + 16 + l.traf
	for _, s := range samples {
		l.data += uint64(s.Size)
	}
	if l.data+8 > math.MaxUint32 {
		l.mdatHeader = 16
	}
	return l
}

// fragmentSize is the exact length of the moof+mdat of samples starting
// at decode time base.
func fragmentSize(base uint64, samples []mp4.Sample) int {
	l := layoutOf(base, samples)
	return l.moof + l.mdatHeader + int(l.data)
}
