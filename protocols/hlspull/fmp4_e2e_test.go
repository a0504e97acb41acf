//go:build e2e

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
