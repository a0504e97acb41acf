package rtmp

import (
	"testing"

	"streamhive/media"
)

// discardSink takes frames and keeps none.
type discardSink struct{}

func (discardSink) WriteFrame(*media.Frame) {}

// BenchmarkIngestAudio is one AAC frame through a published ingest: the
// frame allocation is all that remains (the payload is the caller's copy).
func BenchmarkIngestAudio(b *testing.B) {
	in := newIngest(&media.InputStats{}, func([]media.Track) (media.Sink, error) { return discardSink{}, nil })
	if err := in.onVideo(0, avcSeqHeader()); err != nil {
		b.Fatal(err)
	}
	if err := in.onAudio(0, cat([]byte{0xaf, 0}, aacASC)); err != nil {
		b.Fatal(err)
	}
	tag := append([]byte{0xaf, 1}, make([]byte, 400)...)
	b.ReportAllocs()
	ts := uint32(0)
	for b.Loop() {
		ts += 21
		if err := in.onAudio(ts, tag); err != nil {
			b.Fatal(err)
		}
	}
	if in.sink == nil {
		b.Fatal("not published")
	}
}

// BenchmarkIngestVideo is one H.264 frame of two NAL units (SEI, slice)
// through a published ingest.
func BenchmarkIngestVideo(b *testing.B) {
	in := newIngest(&media.InputStats{}, func([]media.Track) (media.Sink, error) { return discardSink{}, nil })
	if err := in.onVideo(0, avcSeqHeader()); err != nil {
		b.Fatal(err)
	}
	if err := in.onAudio(0, cat([]byte{0xaf, 0}, aacASC)); err != nil {
		b.Fatal(err)
	}
	tag := cat([]byte{0x27, 1, 0, 0, 0}, lengthPrefixed([]byte{6, 5, 1, 0x80}), lengthPrefixed(cat(slice, make([]byte, 16000))))
	b.ReportAllocs()
	ts := uint32(0)
	for b.Loop() {
		ts += 33
		if err := in.onVideo(ts, tag); err != nil {
			b.Fatal(err)
		}
	}
}
