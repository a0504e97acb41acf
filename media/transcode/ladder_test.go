package transcode

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"testing"
	"time"

	"streamhive/media"
)

// clip encodes n pictures of a test pattern (w x h, 25 fps) and, when
// audio is set, 48 kHz mono AAC for the same time, as a source would
// deliver them: video track 0, audio track 1.
func clip(t *testing.T, w, h, n int, audio bool) ([]media.Track, []*media.Frame) {
	t.Helper()
	var frames []*media.Frame
	var tracks []media.Track
	err := WithGenerator(fmt.Sprintf("testsrc=size=%dx%d:rate=25,format=yuv420p", w, h), media.KindVideo, func(g *Generator) error {
		return WithH264Encoder(H264Config{Width: w, Height: h, FPS: 25, GOP: 50}, func(e *H264Encoder) error {
			for range n {
				r, err := g.Next()
				if err != nil {
					return err
				}
				if err := e.Encode(r, func(f *media.Frame) { frames = append(frames, f) }); err != nil {
					return err
				}
			}
			tr, _ := e.Track()
			tracks = append(tracks, tr)
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	if !audio {
		return tracks, frames
	}
	video := frames
	var sound []*media.Frame
	err = WithGenerator("sine=sample_rate=48000:samples_per_frame=1024,aformat=sample_fmts=fltp:channel_layouts=mono", media.KindAudio, func(g *Generator) error {
		return WithAACEncoder(AACConfig{Track: 1}, func(e *AACEncoder) error {
			tracks = append(tracks, e.Track())
			for i := 0; i*1024*25 < n*48000; i++ {
				r, err := g.Next()
				if err != nil {
					return err
				}
				if err := e.Encode(r, func(f *media.Frame) { sound = append(sound, f) }); err != nil {
					return err
				}
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	// Interleave by DTS, as a source would.
	frames = frames[:0:0]
	for len(video) > 0 || len(sound) > 0 {
		if len(sound) == 0 || (len(video) > 0 && video[0].DTS <= sound[0].DTS) {
			frames, video = append(frames, video[0]), video[1:]
		} else {
			frames, sound = append(frames, sound[0]), sound[1:]
		}
	}
	return tracks, frames
}

// listSource plays frames once, then fails with ErrEndOfStream.
type listSource struct {
	tracks []media.Track
	frames []*media.Frame
}

func (s *listSource) Read(context.Context) (*media.Frame, []media.Track, error) {
	if len(s.frames) == 0 {
		return nil, nil, ErrEndOfStream
	}
	f := s.frames[0]
	s.frames = s.frames[1:]
	return f, s.tracks, nil
}

// collect is an Output that keeps everything.
type collect struct {
	sets   int
	tracks []media.Track
	frames []*media.Frame
}

func (c *collect) SetTracks(t []media.Track) { c.sets++; c.tracks = t }
func (c *collect) WriteFrame(f *media.Frame) { c.frames = append(c.frames, f) }

func runLadder(t *testing.T, l Ladder, tracks []media.Track, frames []*media.Frame) (*collect, *Stats) {
	t.Helper()
	out := &collect{}
	st := NewStats(len(l.Renditions))
	err := Run(context.Background(), l, &listSource{tracks: tracks, frames: frames}, out, st)
	if !errors.Is(err, ErrEndOfStream) {
		t.Fatalf("Run = %v, want ErrEndOfStream", err)
	}
	return out, st
}

func TestLadderAlignsKeyframes(t *testing.T) {
	tracks, frames := clip(t, 320, 180, 100, true) // 4 s
	l := Ladder{
		Renditions:  []Rendition{{Width: 160, Height: 90, Bitrate: 300_000}, {Width: 80, Height: 46, BFrames: 2}},
		Audio:       &AudioOut{Codec: media.CodecAAC, Bitrate: 64000},
		KeyInterval: 800 * time.Millisecond,
	}
	out, st := runLadder(t, l, tracks, frames)
	if out.sets != 1 || len(out.tracks) != 3 {
		t.Fatalf("SetTracks %d times, tracks %+v", out.sets, out.tracks)
	}
	for i, want := range [][2]int{{160, 90}, {80, 46}} {
		if tr := out.tracks[i]; tr.ID != i || tr.Codec != media.CodecH264 || tr.Width != want[0] || tr.Height != want[1] {
			t.Errorf("track %d = %+v", i, tr)
		}
	}
	if a := out.tracks[2]; a.ID != 2 || a.Codec != media.CodecAAC || a.SampleRate != 48000 {
		t.Errorf("audio track = %+v", a)
	}
	keys := map[int][]time.Duration{}
	counts := map[int]int{}
	for _, f := range out.frames {
		counts[f.Track]++
		if f.Keyframe && f.Track < 2 {
			keys[f.Track] = append(keys[f.Track], f.PTS)
		}
	}
	if len(keys[0]) < 4 || len(keys[0]) != len(keys[1]) {
		t.Fatalf("keyframes: %v and %v", keys[0], keys[1])
	}
	for i := range keys[0] {
		if keys[0][i] != keys[1][i] {
			t.Errorf("keyframe %d at %v in rendition 0, %v in rendition 1", i, keys[0][i], keys[1][i])
		}
		if i > 0 && keys[0][i]-keys[0][i-1] != 800*time.Millisecond {
			t.Errorf("keyframes %v apart, want 800ms", keys[0][i]-keys[0][i-1])
		}
	}
	if counts[0] != 100 || counts[1] < 85 || counts[2] < 150 {
		t.Errorf("frames per track %v (rendition 1 has B-frames and keeps a few at the end)", counts)
	}
	if st.FramesIn.Load() != 100 || st.Rendition(0).FramesOut.Load() != 100 || st.Speed() <= 0 || st.RenditionSpeed(1) <= 0 {
		t.Errorf("stats: in %d out %d speed %.1f", st.FramesIn.Load(), st.Rendition(0).FramesOut.Load(), st.Speed())
	}
	if st.Device() != "libx264" {
		t.Errorf("device %q", st.Device())
	}
}

func TestLadderOpusAndFPS(t *testing.T) {
	tracks, frames := clip(t, 160, 96, 50, true)
	l := Ladder{Renditions: []Rendition{{Height: 48, Deinterlace: true}}, Audio: &AudioOut{Codec: media.CodecOpus}, FPS: 10}
	out, _ := runLadder(t, l, tracks, frames)
	if len(out.tracks) != 2 || out.tracks[0].Width != 80 || out.tracks[1].Codec != media.CodecOpus || out.tracks[1].Channels != 1 {
		t.Fatalf("tracks %+v", out.tracks)
	}
	n := 0
	for _, f := range out.frames {
		if f.Track == 0 {
			n++
		}
	}
	if n < 18 || n > 21 { // 2 s at 10 fps
		t.Errorf("%d pictures at fps=10 from 2 s", n)
	}
}

func TestLadderCopiesAudio(t *testing.T) {
	tracks, frames := clip(t, 160, 96, 25, true)
	out, st := runLadder(t, Ladder{Renditions: []Rendition{{}}}, tracks, frames)
	if len(out.tracks) != 2 || out.tracks[0].Width != 160 || string(out.tracks[1].AudioConfig) != string(tracks[1].AudioConfig) || out.tracks[1].ID != 1 {
		t.Fatalf("tracks %+v", out.tracks)
	}
	if st.AudioOut.Load() != st.AudioIn.Load() || st.AudioIn.Load() == 0 {
		t.Errorf("audio in %d out %d", st.AudioIn.Load(), st.AudioOut.Load())
	}
}

func TestLadderLogo(t *testing.T) {
	dir := t.TempDir()
	logo := filepath.Join(dir, "logo, [1].png") // characters the graph must escape
	img := image.NewRGBA(image.Rect(0, 0, 40, 24))
	magenta := color.RGBA{R: 255, B: 255, A: 255}
	for y := range 24 {
		for x := range 40 {
			img.SetRGBA(x, y, magenta)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(logo, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	tracks, frames := clip(t, 320, 180, 5, false)
	plain, _ := runLadder(t, Ladder{Renditions: []Rendition{{}}}, tracks, frames)
	marked, _ := runLadder(t, Ladder{Renditions: []Rendition{{Logo: &Logo{Path: logo, Position: "br"}}}}, tracks, frames)
	a, b := picture(t, plain), picture(t, marked)
	// The logo's area (bottom right, 10 px from the edges) is magenta
	// with the logo and not without; the opposite corner is the same in
	// both.
	in := image.Pt(320-10-20, 180-10-12)
	if d := distance(b.At(in.X, in.Y), magenta); d > 60 {
		t.Errorf("logo area is %v with the logo, want magenta", b.At(in.X, in.Y))
	}
	if d := distance(a.At(in.X, in.Y), magenta); d < 100 {
		t.Errorf("logo area is %v without the logo", a.At(in.X, in.Y))
	}
	if d := distance(a.At(20, 20), b.At(20, 20)); d > 20 {
		t.Errorf("top left differs by %d with a bottom-right logo", d)
	}
}

// picture decodes the first keyframe of an output.
func picture(t *testing.T, c *collect) image.Image {
	t.Helper()
	out, err := KeyframeJPEG(c.tracks[0], c.frames[0])
	if err != nil {
		t.Fatal(err)
	}
	img, err := jpeg.Decode(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// distance is the sum of the absolute differences of two colours' 8-bit
// RGB components.
func distance(a, b color.Color) int {
	ar, ag, ab, _ := a.RGBA()
	br, bg, bb, _ := b.RGBA()
	abs := func(x, y uint32) int {
		d := int(x>>8) - int(y>>8)
		return max(d, -d)
	}
	return abs(ar, br) + abs(ag, bg) + abs(ab, bb)
}

func TestLadderNoNVENC(t *testing.T) {
	tracks, frames := clip(t, 160, 96, 5, false)
	err := Run(context.Background(), Ladder{Renditions: []Rendition{{}}, Encoder: "h264_nvenc", Device: 7},
		&listSource{tracks: tracks, frames: frames}, &collect{}, NewStats(1))
	if !errors.Is(err, ErrNoDevice) {
		t.Fatalf("Run with NVENC on a machine without one = %v, want ErrNoDevice", err)
	}
}

func TestVideoGraphDesc(t *testing.T) {
	l := Ladder{FPS: 25, Renditions: []Rendition{
		{Width: 640, Height: 360, Deinterlace: true},
		{Height: 180, Logo: &Logo{Path: "/a:b/l'o.png", Position: "tr"}},
	}}
	want := `[in]fps=25,split=2[s0][s1];[s0]yadif=mode=send_frame[d0];[d0]scale=640:360,format=yuv420p[out0];` +
		`movie=/a\\:b/l\\\'o.png,format=rgba[logo1];[s1][logo1]overlay=x=W-w-10:y=10:format=auto,scale=-2:180,format=yuv420p[out1]`
	if got := l.videoGraph(); got != want {
		t.Errorf("videoGraph =\n%s\nwant\n%s", got, want)
	}
}

func TestKeyClock(t *testing.T) {
	k := keyClock{interval: time.Second}
	var got []time.Duration
	for _, ms := range []int{1500, 1540, 1980, 2000, 2040, 2999, 3010, 500, 540, 1000} {
		if k.key(time.Duration(ms) * time.Millisecond) {
			got = append(got, time.Duration(ms)*time.Millisecond)
		}
	}
	want := []time.Duration{1500 * time.Millisecond, 2 * time.Second, 3010 * time.Millisecond, 500 * time.Millisecond, time.Second}
	if len(got) != len(want) {
		t.Fatalf("keys at %v, want %v", got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("keys at %v, want %v", got, want)
		}
	}
}

func TestLadderWithoutRenditionsCopiesVideo(t *testing.T) {
	tracks, frames := clip(t, 160, 96, 25, true)
	out, st := runLadder(t, Ladder{Audio: &AudioOut{Codec: media.CodecOpus}}, tracks, frames)
	if len(out.tracks) != 2 || string(out.tracks[0].SPS) != string(tracks[0].SPS) || out.tracks[1].Codec != media.CodecOpus || out.tracks[1].ID != 1 {
		t.Fatalf("tracks %+v", out.tracks)
	}
	n := 0
	for _, f := range out.frames {
		if f.Track == 0 {
			n++
		}
	}
	if n != 25 || st.FramesIn.Load() != 25 || st.VideoCopied.Load() != 25 {
		t.Errorf("%d video frames copied of 25", n)
	}
	if state, _ := st.State(); state != StateRunning {
		t.Errorf("state %s", state)
	}
}
