package transcode

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"streamhive/media"
	"streamhive/media/transcode"
)

// sourceSeconds is the length of each source clip: a few GOPs, so that
// one iteration covers decoder and encoder steady state.
const sourceSeconds = 4

// source is a pre-encoded clip: testsrc at 25 fps with a keyframe a
// second (as a camera or an RTMP encoder sends) and 48 kHz AAC.
type source struct {
	tracks []media.Track
	frames []*media.Frame
}

var (
	sourcesMu sync.Mutex
	sources   = map[string]*source{}
)

// clip encodes (once per process) sourceSeconds of w x h.
func clip(b *testing.B, w, h int) *source {
	b.Helper()
	sourcesMu.Lock()
	defer sourcesMu.Unlock()
	key := fmt.Sprintf("%dx%d", w, h)
	if s := sources[key]; s != nil {
		return s
	}
	s := &source{}
	var video, audio []*media.Frame
	err := transcode.WithGenerator(fmt.Sprintf("testsrc=size=%dx%d:rate=25,format=yuv420p", w, h), media.KindVideo, func(g *transcode.Generator) error {
		return transcode.WithH264Encoder(transcode.H264Config{Width: w, Height: h, FPS: 25, GOP: 25, Preset: "veryfast", Bitrate: w * h * 4}, func(e *transcode.H264Encoder) error {
			for range sourceSeconds * 25 {
				r, err := g.Next()
				if err != nil {
					return err
				}
				if err := e.Encode(r, func(f *media.Frame) { video = append(video, f) }); err != nil {
					return err
				}
			}
			t, _ := e.Track()
			s.tracks = append(s.tracks, t)
			return nil
		})
	})
	if err != nil {
		b.Fatal(err)
	}
	err = transcode.WithGenerator("sine=sample_rate=48000:samples_per_frame=1024,aformat=sample_fmts=fltp:channel_layouts=stereo", media.KindAudio, func(g *transcode.Generator) error {
		return transcode.WithAACEncoder(transcode.AACConfig{Track: 1, Channels: 2}, func(e *transcode.AACEncoder) error {
			s.tracks = append(s.tracks, e.Track())
			for i := 0; i*1024 < sourceSeconds*48000; i++ {
				r, err := g.Next()
				if err != nil {
					return err
				}
				if err := e.Encode(r, func(f *media.Frame) { audio = append(audio, f) }); err != nil {
					return err
				}
			}
			return nil
		})
	})
	if err != nil {
		b.Fatal(err)
	}
	for len(video) > 0 || len(audio) > 0 {
		if len(audio) == 0 || (len(video) > 0 && video[0].DTS <= audio[0].DTS) {
			s.frames, video = append(s.frames, video[0]), video[1:]
		} else {
			s.frames, audio = append(s.frames, audio[0]), audio[1:]
		}
	}
	sources[key] = s
	return s
}

// replay plays a clip n times, shifting timestamps so they keep rising.
type replay struct {
	s    *source
	n, i int
	pass int
}

var errDone = errors.New("done")

func (r *replay) Read(context.Context) (*media.Frame, []media.Track, error) {
	if r.i == len(r.s.frames) {
		r.i, r.pass = 0, r.pass+1
	}
	if r.pass == r.n {
		return nil, nil, errDone
	}
	f := *r.s.frames[r.i]
	r.i++
	shift := time.Duration(r.pass) * sourceSeconds * time.Second
	f.DTS += shift
	f.PTS += shift
	return &f, r.s.tracks, nil
}

// discard is an Output that counts.
type discard struct{ frames int }

func (d *discard) SetTracks([]media.Track) {}
func (d *discard) WriteFrame(*media.Frame) { d.frames++ }

// benchLadder runs l over b.N passes of a w x h clip in one Run (so the
// encoders stay warm, as in a live stream) and reports x_realtime: seconds
// of source transcoded per second of wall time.
func benchLadder(b *testing.B, w, h int, l transcode.Ladder) {
	s := clip(b, w, h)
	st := transcode.NewStats(len(l.Renditions))
	out := &discard{}
	b.ResetTimer()
	start := time.Now()
	err := transcode.Run(context.Background(), l, &replay{s: s, n: b.N}, out, st)
	elapsed := time.Since(start)
	if !errors.Is(err, errDone) {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N*sourceSeconds)/elapsed.Seconds(), "x_realtime")
	b.ReportMetric(0, "ns/op") // an op is 4 s of media; x_realtime is the figure
}

// Two renditions from a 720p source, as the e2e test uses:
// 640x360 and 320x180 with Flussonic's default preset (veryfast), audio
// copied.
func BenchmarkLadder720pTo360p180p(b *testing.B) {
	benchLadder(b, 1280, 720, transcode.Ladder{Renditions: []transcode.Rendition{
		{Width: 640, Height: 360, Bitrate: 800_000}, {Width: 320, Height: 180, Bitrate: 300_000},
	}})
}

// The same ladder with preset=ultrafast.
func BenchmarkLadder720pTo360p180pUltrafast(b *testing.B) {
	benchLadder(b, 1280, 720, transcode.Ladder{Renditions: []transcode.Rendition{
		{Width: 640, Height: 360, Bitrate: 800_000, Preset: "ultrafast"}, {Width: 320, Height: 180, Bitrate: 300_000, Preset: "ultrafast"},
	}})
}

// A 1080p source to a 720p and a 360p rendition, audio re-encoded to AAC.
func BenchmarkLadder1080pTo720p360p(b *testing.B) {
	benchLadder(b, 1920, 1080, transcode.Ladder{
		Renditions: []transcode.Rendition{{Width: 1280, Height: 720, Bitrate: 2_500_000}, {Width: 640, Height: 360, Bitrate: 800_000}},
		Audio:      &transcode.AudioOut{Codec: media.CodecAAC, Bitrate: 128_000},
	})
}
