package rtmp

import (
	"bytes"
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

// BenchmarkCopyPayload is one 20 KB video payload out of go-rtmp's reader:
// at its length, as the guard tells it, and without (through the scratch
// buffer, as before the guard told lengths).
func BenchmarkCopyPayload(b *testing.B) {
	payload := videoPayload(20000)
	r := bytes.NewReader(payload)
	for _, known := range []bool{true, false} {
		b.Run(map[bool]string{true: "length", false: "scratch"}[known], func(b *testing.B) {
			c := &serverConn{}
			b.ReportAllocs()
			b.SetBytes(int64(len(payload)))
			for b.Loop() {
				if known {
					c.lens.push(rtmpMessage{typeID: msgVideo, length: uint32(len(payload))})
				}
				r.Reset(payload)
				if _, err := c.copyPayload(msgVideo, 0, r); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
