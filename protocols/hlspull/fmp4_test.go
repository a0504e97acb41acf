package hlspull

import (
	"errors"
	"testing"

	"streamhive/media"
)

// TestFMP4Segments reads ffmpeg's init section and first segment
// directly: tracks, keyframes, NAL units and AAC access units.
func TestFMP4Segments(t *testing.T) {
	v := ffmpegHLS(t, 2, true)
	var r fmp4Reader
	first, err := r.setInit(v.read(t, v.init))
	if err != nil || !first {
		t.Fatalf("init: %v", err)
	}
	if len(r.init.tracks) != 2 || r.init.tracks[0].Codec != media.CodecH264 || r.init.tracks[1].Codec != media.CodecAAC {
		t.Fatalf("tracks %+v", r.init.tracks)
	}
	if again, err := r.setInit(v.read(t, v.init)); again || err != nil {
		t.Errorf("the same init section again: first=%v err=%v", again, err)
	}
	frames, err := r.frames(v.read(t, v.segs[0].URI))
	if err != nil {
		t.Fatal(err)
	}
	var video, keys, audio int
	for i, f := range frames {
		if i > 0 && f.DTS < frames[i-1].DTS {
			t.Fatalf("frame %d DTS %v before %v", i, f.DTS, frames[i-1].DTS)
		}
		switch f.Track {
		case 0:
			video++
			if f.Keyframe {
				keys++
			}
			for _, nalu := range f.Data {
				if len(nalu) == 0 || nalu[0]&0x80 != 0 {
					t.Fatalf("frame %d: bad NAL unit header % x", i, nalu[:min(len(nalu), 4)])
				}
			}
		case 1:
			audio++
			if len(f.Data) != 1 || len(f.Data[0]) == 0 {
				t.Fatalf("audio frame %d: %d parts", i, len(f.Data))
			}
		}
	}
	if video != 25 || keys != 1 || audio < 45 || frames[0].DTS != 0 || !frames[0].Keyframe {
		t.Errorf("%d video frames (%d keys), %d audio, first %+v", video, keys, audio, frames[0])
	}
	if _, err := r.frames([]byte("garbage")); !errors.Is(err, errFMP4) {
		t.Errorf("garbage segment: %v", err)
	}
}

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
	v := ffmpegHLS(f, 1, true)
	initData, seg := v.read(f, v.init), v.read(f, v.segs[0].URI)
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
