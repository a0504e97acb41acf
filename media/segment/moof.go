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
	tfdt, tfdtVersion := 16, byte(0)
	if base > math.MaxUint32 {
		tfdt, tfdtVersion = 20, 1
	}
	trun := 20 + 16*len(samples)
	traf := 8 + 16 + tfdt + trun
	moof := 8 + 16 + traf
	var data uint64
	for _, s := range samples {
		data += uint64(s.Size)
	}
	mdatHeader := 8
	if data+8 > math.MaxUint32 {
		mdatHeader = 16
	}
	b := binary.BigEndian
	buf = box(buf, moof, "moof")
	buf = box(buf, 16, "mfhd")
	buf = b.AppendUint32(b.AppendUint32(buf, 0), seq)
	buf = box(buf, traf, "traf")
	buf = box(buf, 16, "tfhd")
	buf = b.AppendUint32(b.AppendUint32(buf, 0x020000), 1) // default-base-is-moof; track 1
	buf = box(buf, tfdt, "tfdt")
	buf = b.AppendUint32(buf, uint32(tfdtVersion)<<24)
	if tfdtVersion == 1 {
		buf = b.AppendUint64(buf, base)
	} else {
		buf = b.AppendUint32(buf, uint32(base))
	}
	buf = box(buf, trun, "trun")
	buf = b.AppendUint32(buf, 1<<24|0xf01) // version 1: signed offsets; every field present
	buf = b.AppendUint32(buf, uint32(len(samples)))
	buf = b.AppendUint32(buf, uint32(moof+mdatHeader)) // data offset: from the moof to the samples
	for _, s := range samples {
		buf = b.AppendUint32(buf, s.Dur)
		buf = b.AppendUint32(buf, s.Size)
		buf = b.AppendUint32(buf, s.Flags)
		buf = b.AppendUint32(buf, uint32(s.CompositionTimeOffset))
	}
	if mdatHeader == 16 {
		buf = b.AppendUint32(buf, 1)
		buf = append(buf, "mdat"...)
		return b.AppendUint64(buf, data+16)
	}
	return box(buf, int(data)+8, "mdat")
}

// box appends a box header: its size, header included, and its type.
func box(buf []byte, size int, typ string) []byte {
	return append(binary.BigEndian.AppendUint32(buf, uint32(size)), typ...)
}
