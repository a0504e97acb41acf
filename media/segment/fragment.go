package segment

import (
	"encoding/binary"

	"github.com/Eyevinn/mp4ff/mp4"

	"streamhive/media"
)

// fragment collects one track's samples of one part and encodes them as
// moof+mdat. Payloads are referenced, not copied, until encode writes them
// once into the output buffer.
type fragment struct {
	samples []mp4.Sample
	frames  []*media.Frame
	base    uint64
	length  uint64
}

func (b *fragment) add(f *media.Frame, decode int64, dur int64, cto int64, video bool) {
	if len(b.samples) == 0 {
		b.base = uint64(decode)
	}
	size := 0
	if video {
		for _, n := range f.Data {
			size += 4 + len(n)
		}
	} else {
		size = len(f.Data[0])
	}
	flags := mp4.SyncSampleFlags
	if video && !f.Keyframe {
		flags = mp4.NonSyncSampleFlags | mp4.SampleDependsOn1
	}
	b.samples = append(b.samples, mp4.NewSample(flags, uint32(dur), uint32(size), int32(cto)))
	b.frames = append(b.frames, f)
	b.length += uint64(dur)
}

// encode returns the fragment as moof+mdat in an array of its exact
// size (a part's bytes are held at their size from the moment it is cut:
// store.go) and resets b; nil when it has no sample. Video samples are
// written as 4-byte length-prefixed NAL units (the avcC/hvcC
// lengthSizeMinusOne mp4ff writes is 3).
func (b *fragment) encode(seq uint32, timescale uint32, video bool) ([]byte, Span) {
	span := Span{Timescale: timescale, Base: b.base, Length: b.length, Samples: len(b.samples)}
	if len(b.samples) == 0 {
		return nil, span
	}
	buf := appendMoof(newBuffer(fragmentSize(b.base, b.samples)), seq, b.base, b.samples) // moof.go; then the samples
	for _, f := range b.frames {
		if !video {
			buf = append(buf, f.Data[0]...)
			continue
		}
		for _, n := range f.Data {
			buf = binary.BigEndian.AppendUint32(buf, uint32(len(n)))
			buf = append(buf, n...)
		}
	}
	clear(b.frames)
	*b = fragment{samples: b.samples[:0], frames: b.frames[:0]}
	return buf, span
}
