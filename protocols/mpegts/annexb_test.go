package mpegts

import (
	"bytes"
	"testing"

	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"
)

// FuzzSplitAnnexB checks splitAnnexB against mediacommon's AnnexB
// decoder, which it replaced, on every unit that starts with a start code
// (mediacommon also takes some that do not, which we refuse).
func FuzzSplitAnnexB(f *testing.F) {
	for _, s := range [][]byte{
		{0, 0, 1, 0x67, 1, 2, 0, 0, 0, 1, 0x68, 3, 0, 0, 1, 0x65, 4, 5, 0},
		{0, 0, 0, 1, 0x09, 0xf0, 0, 0, 1, 0x41, 0, 0, 0, 0, 1, 0x41},
		{0, 0, 1, 0, 0, 1},
		{0, 0, 1},
		{1, 2, 3, 4},
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := splitAnnexB(nil, b)
		if !bytes.HasPrefix(b, startCode) && !bytes.HasPrefix(b, []byte{0, 0, 0, 1}) {
			if err == nil {
				t.Fatalf("%x: no error without a start code", b)
			}
			return
		}
		var want h264.AnnexB
		werr := want.Unmarshal(b)
		if (err == nil) != (werr == nil) {
			t.Fatalf("%x: error %v, mediacommon %v", b, err, werr)
		}
		if len(got) != len(want) {
			t.Fatalf("%x: %d NAL units, mediacommon %d", b, len(got), len(want))
		}
		for i := range got {
			if !bytes.Equal(got[i], want[i]) {
				t.Fatalf("%x: unit %d is %x, mediacommon %x", b, i, got[i], want[i])
			}
		}
	})
}

func BenchmarkSplitAnnexB(b *testing.B) {
	unit := append([]byte{0, 0, 0, 1, 0x09, 0xf0, 0, 0, 1, 0x67, 1, 2, 3, 0, 0, 1, 0x68, 4, 0, 0, 1, 0x65}, bytes.Repeat([]byte{0x5a, 0, 3}, 20000)...)
	b.SetBytes(int64(len(unit)))
	b.ReportAllocs()
	dst := make([][]byte, 0, typicalNALUs)
	for b.Loop() {
		var err error
		if dst, err = splitAnnexB(dst[:0], unit); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAnnexBMediacommon(b *testing.B) {
	unit := append([]byte{0, 0, 0, 1, 0x09, 0xf0, 0, 0, 1, 0x67, 1, 2, 3, 0, 0, 1, 0x68, 4, 0, 0, 1, 0x65}, bytes.Repeat([]byte{0x5a, 0, 3}, 20000)...)
	b.SetBytes(int64(len(unit)))
	b.ReportAllocs()
	for b.Loop() {
		var au h264.AnnexB
		if err := au.Unmarshal(unit); err != nil {
			b.Fatal(err)
		}
	}
}
