package transcode

import (
	"errors"
	"testing"
	"time"

	"streamhive/media"
)

func TestH264FromGenerator(t *testing.T) {
	const n = 30
	var frames []*media.Frame
	var track media.Track
	err := WithGenerator("smptebars=size=160x96:rate=10,format=yuv420p", media.KindVideo, func(g *Generator) error {
		return WithH264Encoder(H264Config{Track: 3, Width: 160, Height: 96, FPS: 10, GOP: 10}, func(e *H264Encoder) error {
			for i := 0; i < n; i++ {
				r, err := g.Next()
				if err != nil {
					return err
				}
				if err := e.Encode(r, func(f *media.Frame) { frames = append(frames, f) }); err != nil {
					return err
				}
			}
			var ok bool
			if track, ok = e.Track(); !ok {
				t.Error("no track after a keyframe")
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(frames) != n {
		t.Fatalf("got %d frames for %d pictures (zerolatency should not delay)", len(frames), n)
	}
	for i, f := range frames {
		if want := time.Duration(i) * 100 * time.Millisecond; f.PTS != want || f.DTS != want {
			t.Errorf("frame %d: PTS %v DTS %v, want %v", i, f.PTS, f.DTS, want)
		}
		if f.Keyframe != (i%10 == 0) {
			t.Errorf("frame %d: keyframe %v", i, f.Keyframe)
		}
		if f.Track != 3 {
			t.Errorf("frame %d: track %d", i, f.Track)
		}
		for _, nalu := range f.Data {
			if len(nalu) == 0 || (len(nalu) > 3 && nalu[0] == 0 && nalu[1] == 0 && nalu[2] == 1) {
				t.Fatalf("frame %d: NALU with start code or empty", i)
			}
		}
	}
	if track.Codec != media.CodecH264 || track.Width != 160 || track.Height != 96 || track.ID != 3 ||
		track.SPS[0]&0x1f != 7 || track.PPS[0]&0x1f != 8 {
		t.Errorf("track = %+v", track)
	}
}

func TestAACFromGenerator(t *testing.T) {
	var frames []*media.Frame
	var track media.Track
	err := WithGenerator("sine=frequency=1000:sample_rate=48000:samples_per_frame=1024,aformat=sample_fmts=fltp:channel_layouts=mono",
		media.KindAudio, func(g *Generator) error {
			return WithAACEncoder(AACConfig{Track: 1}, func(e *AACEncoder) error {
				track = e.Track()
				if e.FrameSize() != 1024 {
					t.Errorf("frame size %d", e.FrameSize())
				}
				for i := 0; i < 20; i++ {
					r, err := g.Next()
					if err != nil {
						return err
					}
					if err := e.Encode(r, func(f *media.Frame) { frames = append(frames, f) }); err != nil {
						return err
					}
				}
				return nil
			})
		})
	if err != nil {
		t.Fatal(err)
	}
	if track.Codec != media.CodecAAC || track.SampleRate != 48000 || track.Channels != 1 || len(track.AudioConfig) < 2 {
		t.Errorf("track = %+v", track)
	}
	if len(frames) < 18 {
		t.Fatalf("got %d frames for 20 blocks", len(frames))
	}
	for i, f := range frames {
		want := time.Duration(i) * 1024 * time.Second / 48000
		if d := f.PTS - want; d < -time.Microsecond || d > time.Microsecond || f.DTS != f.PTS || !f.Keyframe || len(f.Data) != 1 || len(f.Data[0]) == 0 {
			t.Errorf("frame %d: PTS %v (want %v) keyframe %v data %d", i, f.PTS, want, f.Keyframe, len(f.Data))
		}
	}
}

func TestEncoderRejectsWrongFormat(t *testing.T) {
	err := WithGenerator("smptebars=size=160x96:rate=10,format=yuv444p", media.KindVideo, func(g *Generator) error {
		return WithH264Encoder(H264Config{Width: 160, Height: 96}, func(e *H264Encoder) error {
			r, err := g.Next()
			if err != nil {
				return err
			}
			return e.Encode(r, func(*media.Frame) {})
		})
	})
	if !errors.Is(err, ErrFormat) {
		t.Errorf("err = %v, want ErrFormat", err)
	}
}

func TestGeneratorBadGraph(t *testing.T) {
	err := WithGenerator("nosuchfilter=1", media.KindVideo, func(*Generator) error { return nil })
	if err == nil {
		t.Error("a graph with an unknown filter was accepted")
	}
}
