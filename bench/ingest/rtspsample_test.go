package main

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"

	"streamhive/protocols/mpegts/mpegtstest"
)

// TestRTSPSample packetizes a 2 s clip (25 fps, no B-frames) and decodes
// the video packets back with gortsplib's decoder: every frame comes out,
// the first one an IDR, in decode order, and the loop is 2 s long.
func TestRTSPSample(t *testing.T) {
	path := filepath.Join(t.TempDir(), "clip.ts")
	if err := os.WriteFile(path, mpegtstest.H264AAC(t, "2"), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := loadRTSPSample(path)
	if err != nil {
		t.Fatal(err)
	}
	if d := s.length - 2*time.Second; d < -50*time.Millisecond || d > 50*time.Millisecond {
		t.Errorf("loop %v, want 2 s", s.length)
	}
	vf, _ := s.formats()
	dec, err := vf.CreateDecoder()
	if err != nil {
		t.Fatal(err)
	}
	var frames, audio int
	var last time.Duration
	for i, u := range s.units {
		if u.at < last {
			t.Fatalf("unit %d due at %v after %v", i, u.at, last)
		}
		last = u.at
		if !u.video {
			audio++
			continue
		}
		for _, p := range u.packets {
			au, err := dec.Decode(p)
			if err != nil {
				continue // the AU is not complete yet
			}
			if frames == 0 && !h264.IsRandomAccess(au) {
				t.Error("the first frame is not an IDR")
			}
			frames++
		}
	}
	if frames != 50 || audio == 0 {
		t.Errorf("%d video frames and %d audio units, want 50 and some", frames, audio)
	}
}

func TestRowState(t *testing.T) {
	for _, tc := range []struct {
		name string
		r    row
		ok   bool
	}{
		{"nominal", row{n: 10, live: 10, nominalMbps: 40, sentMbps: 40.5}, true},
		{"behind", row{n: 10, live: 10, nominalMbps: 40, sentMbps: 30}, false},
		{"bursts", row{n: 10, live: 10, nominalMbps: 40, sentMbps: 50}, false},
		{"a stream missing", row{n: 10, live: 9, nominalMbps: 40, sentMbps: 40}, false},
		{"a publisher failed", row{n: 10, live: 10, nominalMbps: 40, sentMbps: 40, failed: 1}, false},
	} {
		if got := tc.r.state(); (got == "ok") != tc.ok {
			t.Errorf("%s: state %q", tc.name, got)
		}
	}
}
