package hlspull

import (
	"os"
	"testing"
)

func TestSplitNALUs(t *testing.T) {
	for _, tc := range []struct {
		in   []byte
		n    int
		fail bool
	}{
		{[]byte{0, 0, 0, 2, 0x65, 1, 0, 0, 0, 1, 0x41}, 2, false},
		{[]byte{0, 0, 0, 0, 0, 0, 0, 1, 0x41}, 1, false},
		{[]byte{0, 0, 0, 9, 0x65}, 0, true},
		{[]byte{0, 0, 1}, 0, true},
		{nil, 0, true},
	} {
		got, err := splitNALUs(tc.in, 4)
		if (err != nil) != tc.fail || len(got) != tc.n {
			t.Errorf("% x: %d units, %v", tc.in, len(got), err)
		}
	}
}

// FuzzSegment: no init section or media segment panics the fMP4 reader
// or makes it return frames outside the tracks it published.
func FuzzSegment(f *testing.F) {
	initData, err := os.ReadFile("testdata/fmp4/init.mp4")
	if err != nil {
		f.Fatal(err)
	}
	seg, err := os.ReadFile("testdata/fmp4/seg0.m4s")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(initData, seg)
	f.Add(initData, seg[:len(seg)/2])
	f.Add(initData[:len(initData)-7], seg)
	f.Fuzz(func(t *testing.T, initData, seg []byte) {
		var r fmp4Reader
		if _, err := r.setInit(initData); err != nil {
			return
		}
		frames, _ := r.frames(seg)
		for _, fr := range frames {
			if fr.Track < 0 || fr.Track >= len(r.init.tracks) || fr.DTS < 0 || len(fr.Data) == 0 {
				t.Fatalf("frame %+v", fr)
			}
		}
	})
}
