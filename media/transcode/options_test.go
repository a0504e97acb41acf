package transcode

import (
	"context"
	"errors"
	"maps"
	"testing"

	"streamhive/media"
)

// TestEncoderOptions: the codec picks the encoder on the device the ladder
// names, and profile, preset, B-frames and the fixed GOP reach each
// encoder's own options.
func TestEncoderOptions(t *testing.T) {
	for _, c := range []struct {
		cfg  H264Config
		name string
		want map[string]string
	}{
		{H264Config{Preset: "fast", Profile: "main", BFrames: 2}, "libx264", map[string]string{
			"bf": "2", "forced-idr": "1", "preset": "fast", "profile": "main",
			"x264-params": "scenecut=0:min-keyint=25:keyint=25",
		}},
		{H264Config{Codec: media.CodecH265, Preset: "veryfast"}, "libx265", map[string]string{
			"bf": "0", "forced-idr": "1", "preset": "veryfast", "tune": "zerolatency",
			"x265-params": "scenecut=0:min-keyint=25:keyint=25:repeat-headers=1:log-level=error",
		}},
		{H264Config{Encoder: "h264_nvenc", Codec: media.CodecH265, Device: 1, Profile: "main"}, "hevc_nvenc", map[string]string{
			"bf": "0", "forced-idr": "1", "gpu": "1", "profile": "main",
		}},
		{H264Config{Encoder: "h264_nvenc", Preset: "slow"}, "h264_nvenc", map[string]string{
			"bf": "0", "forced-idr": "1", "gpu": "0",
		}},
	} {
		cfg := c.cfg.withDefaults()
		if cfg.Encoder != c.name {
			t.Errorf("%+v: encoder %s, want %s", c.cfg, cfg.Encoder, c.name)
		}
		if got := encoderOptions(cfg, cfg.GOP); !maps.Equal(got, c.want) {
			t.Errorf("%s options = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestVideoGraphFieldRateAndAspect(t *testing.T) {
	l := Ladder{Renditions: []Rendition{{Width: -1, Height: 180, Deinterlace: true, FieldRate: true}}}
	want := `[in]split=1[s0];[s0]yadif=mode=send_field[d0];[d0]scale=-2:180,format=yuv420p[out0]`
	if got := l.videoGraph(); got != want {
		t.Errorf("videoGraph =\n%s\nwant\n%s", got, want)
	}
}

// TestLadderHEVC encodes a rendition to HEVC with libx265, deinterlaced
// one picture per field, its width following the height, an IDR every 10
// pictures.
func TestLadderHEVC(t *testing.T) {
	if !HaveEncoder("libx265") {
		t.Skip("FFmpeg without libx265")
	}
	tracks, frames := clip(t, 320, 180, 25, false)
	l := Ladder{GOP: 10, Renditions: []Rendition{{Height: 90, Codec: media.CodecH265, Profile: "main", Deinterlace: true, FieldRate: true}}}
	out, _ := runLadder(t, l, tracks, frames)
	if len(out.tracks) != 1 {
		t.Fatalf("tracks %+v", out.tracks)
	}
	if tr := out.tracks[0]; tr.Codec != media.CodecH265 || tr.Width != 160 || tr.Height != 90 || tr.VPS == nil || tr.SPS == nil || tr.PPS == nil {
		t.Errorf("track %+v: want h265 160x90 with VPS, SPS, PPS", tr)
	}
	var keys []int
	for i, f := range out.frames {
		if f.Keyframe {
			keys = append(keys, i)
		}
	}
	// 25 frames, a picture per field: about 50 out (yadif holds the last
	// one back at the end of the stream).
	if n := len(out.frames); n < 46 || n > 50 {
		t.Errorf("%d pictures out of 25 frames at the field rate, want about 50", n)
	}
	if len(keys) < 4 || keys[0] != 0 || keys[1] != 10 || keys[2] != 20 {
		t.Errorf("keyframes at %v, want every 10th picture", keys)
	}
}

// TestLadderNoNVENCHEVC: HEVC on NVENC fails as H.264 on NVENC does on a
// machine without one, so the session reports it (or falls back).
func TestLadderNoNVENCHEVC(t *testing.T) {
	tracks, frames := clip(t, 160, 96, 5, false)
	err := Run(context.Background(), Ladder{Renditions: []Rendition{{Codec: media.CodecH265}}, Encoder: "h264_nvenc"},
		&listSource{tracks: tracks, frames: frames}, &collect{}, NewStats(1))
	if !errors.Is(err, ErrNoDevice) && !errors.Is(err, ErrNoEncoder) {
		t.Fatalf("Run with NVENC HEVC on a machine without one = %v, want ErrNoDevice or ErrNoEncoder", err)
	}
}

// TestLadderAudioChannelsAndRate: ac= and ar= reach the AAC encoder: a
// mono 48 kHz source comes out stereo at 44.1 kHz.
func TestLadderAudioChannelsAndRate(t *testing.T) {
	tracks, frames := clip(t, 160, 96, 25, true)
	out, _ := runLadder(t, Ladder{Audio: &AudioOut{Codec: media.CodecAAC, Channels: 2, SampleRate: 44100}}, tracks, frames)
	if len(out.tracks) != 2 || out.tracks[1].Channels != 2 || out.tracks[1].SampleRate != 44100 {
		t.Errorf("tracks %+v: want stereo AAC at 44100", out.tracks)
	}
}
