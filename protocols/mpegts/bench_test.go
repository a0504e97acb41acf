package mpegts

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"streamhive/protocols/mpegts/mpegtstest"
)

// BenchmarkDemux demuxes a 2 s H.264+AAC clip; bytes/s is the demuxer's
// throughput on one core.
func BenchmarkDemux(b *testing.B) {
	clip := mpegtstest.H264AAC(b, "2")
	b.SetBytes(int64(len(clip)))
	b.ReportAllocs()
	for b.Loop() {
		d := NewDemuxer(bytes.NewReader(clip), Config{}, nil)
		for {
			if _, err := d.ReadFrame(); err != nil {
				if !errors.Is(err, io.EOF) {
					b.Fatal(err)
				}
				break
			}
		}
	}
}
