package mpegts

import (
	"errors"
	"testing"

	"streamhive/media"
	"streamhive/protocols/mpegts/mpegtstest"
)

func TestProgramAndPIDSelection(t *testing.T) {
	data := mpegtstest.MPTS(t)
	type want struct {
		codec         media.Codec
		width, height int
	}
	v320, v160, aac := want{media.CodecH264, 320, 180}, want{media.CodecH264, 160, 96}, want{media.CodecAAC, 0, 0}
	for _, tc := range []struct {
		name string
		cfg  Config
		want []want
	}{
		{"first program by default", Config{}, []want{v320, aac}},
		{"program 2", Config{Programs: []int{2}}, []want{v160}},
		{"first listed program present", Config{Programs: []int{9, 2, 1}}, []want{v160}},
		{"PMT PID of program 2", Config{PIDs: []int{0x1001}}, []want{v160}},
		{"audio PID only", Config{PIDs: []int{0x102}}, []want{aac}},
		{"program 1, video PID", Config{Programs: []int{1}, PIDs: []int{0x100}}, []want{v320}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := demuxAll(t, data, tc.cfg)
			wantEOF(t, r.err)
			if len(r.tracks) != len(tc.want) {
				t.Fatalf("tracks %+v, want %+v", r.tracks, tc.want)
			}
			for i, w := range tc.want {
				tr := r.tracks[i]
				if tr.Codec != w.codec || tr.Width != w.width || tr.Height != w.height {
					t.Errorf("track %d: %s %dx%d, want %+v", i, tr.Codec, tr.Width, tr.Height, w)
				}
				if n, _ := r.count(i); n < 24 {
					t.Errorf("track %d: %d frames", i, n)
				}
			}
			r.checkMonotonic(t)
		})
	}
	r := demuxAll(t, data, Config{Programs: []int{3}})
	if !errors.Is(r.err, ErrNoProgram) {
		t.Errorf("program 3: %v, want ErrNoProgram", r.err)
	}
}

func TestDemuxH265Opus(t *testing.T) {
	r := demuxAll(t, mpegtstest.H265Opus(t), Config{})
	wantEOF(t, r.err)
	if len(r.tracks) != 2 {
		t.Fatalf("tracks %+v", r.tracks)
	}
	v, a := r.tracks[0], r.tracks[1]
	if v.Codec != media.CodecH265 || v.Width != 320 || v.Height != 180 || v.VPS == nil || v.SPS == nil || v.PPS == nil {
		t.Errorf("video track %+v", v)
	}
	if a.Codec != media.CodecOpus || a.SampleRate != 48000 || a.Channels != 1 {
		t.Errorf("audio track %+v", a)
	}
	if n, keys := r.count(0); n != 25 || keys != 1 {
		t.Errorf("video: %d frames, %d keyframes; want 25, 1", n, keys)
	}
	// 1 s of 20 ms Opus packets, less the ones before the first keyframe.
	if n, _ := r.count(1); n < 45 || n > 52 {
		t.Errorf("audio: %d frames, want about 50", n)
	}
	r.checkMonotonic(t)
	if r.stats.Errors.Load() != 0 || r.stats.TS.BrokenPayloads.Load() != 0 {
		t.Errorf("errors on a clean stream: %d", r.stats.Errors.Load())
	}
}

// TestTimestampWrap starts the clip just before the 33-bit PTS wrap
// (2^33 / 90 kHz = 95443.7 s; ffmpeg adds its 1.4 s mux delay, so the
// wrap falls 1.3 s in): timestamps stay continuous across it.
func TestTimestampWrap(t *testing.T) {
	r := demuxAll(t, mpegtstest.Wrap(t), Config{})
	wantEOF(t, r.err)
	r.checkMonotonic(t)
	last := r.frames[len(r.frames)-1]
	if last.DTS < 1900*1e6 || last.DTS > 2100*1e6 {
		t.Errorf("last frame at %v, want about 2 s", last.DTS)
	}
	if n, _ := r.count(0); n != 50 {
		t.Errorf("%d video frames, want 50", n)
	}
}
