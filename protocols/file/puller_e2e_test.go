//go:build e2e

package file

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"streamhive/media"
	"streamhive/media/vod"
	"streamhive/protocols/mpegts"
	"streamhive/protocols/mpegts/mpegtstest"
	"streamhive/protocols/vodstore"
)

// clip writes a 1 s ffmpeg clip (320x180 H.264 with B-frames, one
// keyframe a second; AAC) in the given container to a temporary file.
func clip(t *testing.T, format string, extra ...string) string {
	t.Helper()
	args := append(mpegtstest.Source("1"), "-c:v", "libx264", "-preset", "veryfast", "-bf", "2", "-g", "25",
		"-pix_fmt", "yuv420p", "-c:a", "aac")
	args = append(append(args, extra...), "-f", format)
	return mpegtstest.FFmpegFile(t, filepath.Join(t.TempDir(), "clip."+format), args...)
}

// timedSink records frames with the (fake) time they were written.
type timedSink struct {
	mu     sync.Mutex
	start  time.Time
	tracks []media.Track
	frames []*media.Frame
	late   []time.Duration // wall time of the write minus the frame's DTS
}

func (s *timedSink) publish(tracks []media.Track) (media.Sink, error) {
	s.tracks, s.start = tracks, time.Now()
	return s, nil
}

func (s *timedSink) WriteFrame(f *media.Frame) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.frames = append(s.frames, f)
	s.late = append(s.late, time.Since(s.start)-f.DTS)
}

// play pulls url for d of fake time and returns what was written.
func play(t *testing.T, url string, d time.Duration) (*timedSink, *media.InputStats) {
	t.Helper()
	sink, stats := &timedSink{}, &media.InputStats{}
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithTimeout(media.WithInputStats(context.Background(), stats), d)
		defer cancel()
		if err := (Puller{}).Pull(ctx, url, nil, sink.publish); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Pull returned %v, want the deadline", err)
		}
	})
	return sink, stats
}

// An MP4 file's tracks are merged in DTS order, so every frame is
// written on time.
func TestLoopMP4(t *testing.T) {
	checkLoop(t, clip(t, "mp4", "-movflags", "+faststart"), time.Millisecond)
}

// A TS file plays in its mux order, where ffmpeg puts audio up to a few
// hundred milliseconds away from the video of the same time: a frame
// that comes after a later one is written at once, so late.
func TestLoopTS(t *testing.T) {
	checkLoop(t, clip(t, "mpegts"), 500*time.Millisecond)
}

// checkLoop plays 2.5 loops of a 1 s clip and checks the seams, that no
// frame is written before its time and none more than maxLate after.
func checkLoop(t *testing.T, path string, maxLate time.Duration) {
	s, stats := play(t, "file://"+path, 2500*time.Millisecond)
	if len(s.tracks) != 2 || s.tracks[0].Codec != media.CodecH264 || s.tracks[0].Width != 320 || s.tracks[0].Height != 180 ||
		s.tracks[1].Codec != media.CodecAAC || s.tracks[1].SampleRate != 48000 || s.tracks[1].Channels != 1 {
		t.Fatalf("tracks %+v", s.tracks)
	}
	mpegtstest.CheckMonotonic(t, s.frames)
	for i, f := range s.frames {
		if s.late[i] < 0 || s.late[i] > maxLate {
			t.Fatalf("frame %d (DTS %v) written %v after its time", i, f.DTS, s.late[i])
		}
	}
	// The loop length is the file's duration: its longest track (here
	// the audio, which the AAC encoder's priming and padding make a
	// little longer than the second of video).
	var keys []time.Duration
	for _, f := range s.frames {
		if f.Track == 0 && f.Keyframe {
			keys = append(keys, f.DTS)
		}
	}
	if len(keys) != 3 || keys[0] != 0 || keys[1] < time.Second || keys[1] > 1100*time.Millisecond {
		t.Fatalf("keyframes at %v, want 0, the file's duration (1 s to 1.1 s) and twice that", keys)
	}
	loop := keys[1]
	if keys[2] != 2*loop {
		t.Errorf("third loop starts at %v, want %v", keys[2], 2*loop)
	}
	// Loop 1 is loop 0 shifted by the loop length, frame for frame.
	var first, second []*media.Frame
	for _, f := range s.frames {
		switch {
		case f.DTS < loop:
			first = append(first, f)
		case f.DTS < 2*loop:
			second = append(second, f)
		}
	}
	if len(first) != len(second) {
		t.Fatalf("loop 0 has %d frames, loop 1 %d", len(first), len(second))
	}
	for i, f := range first {
		g := second[i]
		if g.Track != f.Track || g.DTS != f.DTS+loop || g.PTS != f.PTS+loop || g.Keyframe != f.Keyframe || len(g.Data) != len(f.Data) {
			t.Fatalf("loop 1 frame %d: %+v, want loop 0's %+v moved by %v", i, g, f, loop)
		}
	}
	if n, _ := countTrack(first, 0); n != 25 {
		t.Errorf("%d video frames in a loop, want 25", n)
	}
	if stats.Frames.Load() != uint64(len(s.frames)) || stats.Bytes.Load() == 0 {
		t.Errorf("stats: %d frames (sink got %d), %d bytes", stats.Frames.Load(), len(s.frames), stats.Bytes.Load())
	}
}

func TestLoopH265Opus(t *testing.T) {
	args := append(mpegtstest.Source("1"), "-c:v", "libx265", "-preset", "ultrafast", "-x265-params", "log-level=error",
		"-g", "25", "-pix_fmt", "yuv420p", "-c:a", "libopus", "-movflags", "+faststart", "-f", "mp4")
	path := mpegtstest.FFmpegFile(t, filepath.Join(t.TempDir(), "hevc.mp4"), args...)
	s, _ := play(t, "file://"+path, 1500*time.Millisecond)
	if len(s.tracks) != 2 || s.tracks[0].Codec != media.CodecH265 || s.tracks[0].Width != 320 ||
		s.tracks[1].Codec != media.CodecOpus || s.tracks[1].Channels != 1 {
		t.Fatalf("tracks %+v", s.tracks)
	}
	mpegtstest.CheckMonotonic(t, s.frames)
	if s.frames[0].Track != 0 && s.frames[1].Track != 0 {
		t.Errorf("no video at the start")
	}
}

// TestLoopFragmented: a fragmented MP4 (ffmpeg's empty moov, a fragment
// per keyframe) plays through the same reader as a progressive one.
func TestLoopFragmented(t *testing.T) {
	checkLoop(t, clip(t, "mp4", "-movflags", "+frag_keyframe+empty_moov"), time.Millisecond)
}

// TestPullRefusesMedia: a cut-off MP4 is refused as unsupported, and a
// TS file's program option goes to the demuxer.
func TestPullRefusesMedia(t *testing.T) {
	whole := clip(t, "mp4") // moov at the end: cutting the file loses it
	data, err := os.ReadFile(whole)
	if err != nil {
		t.Fatal(err)
	}
	cut := filepath.Join(t.TempDir(), "cut.mp4")
	if err := os.WriteFile(cut, data[:len(data)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	err = (Puller{}).Pull(context.Background(), "file://"+cut, nil, func([]media.Track) (media.Sink, error) {
		t.Errorf("%s: published", cut)
		return nil, errors.New("no")
	})
	if !errors.Is(err, ErrUnsupported) {
		t.Errorf("%s: %v, want %v", cut, err, ErrUnsupported)
	}
	ts := clip(t, "mpegts")
	err = (Puller{}).Pull(context.Background(), "file://"+ts, map[string]string{"program": "9"}, nil)
	if !errors.Is(err, mpegts.ErrNoProgram) {
		t.Errorf("program=9: %v, want ErrNoProgram", err)
	}
}

func countTrack(frames []*media.Frame, id int) (n, keys int) {
	for _, f := range frames {
		if f.Track == id {
			n++
			if f.Keyframe {
				keys++
			}
		}
	}
	return n, keys
}

// A vod:// input plays through a storage exactly as file:// plays the
// file: the same frames, on time.
func TestVODPlaysLikeFile(t *testing.T) {
	path := clip(t, "mp4")
	v := VOD{Open: func(_ context.Context, _, p string) (vod.File, error) {
		d, err := vodstore.OpenDisk(filepath.Dir(path))
		if err != nil {
			return nil, err
		}
		return d.Open(context.Background(), p)
	}}
	sink := &timedSink{}
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 2500*time.Millisecond)
		defer cancel()
		if err := v.Pull(ctx, "vod://m/"+filepath.Base(path), nil, sink.publish); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Pull returned %v, want the deadline", err)
		}
	})
	direct, _ := play(t, "file://"+path, 2500*time.Millisecond)
	if len(sink.frames) == 0 || len(sink.frames) != len(direct.frames) {
		t.Fatalf("vod:// wrote %d frames, file:// %d", len(sink.frames), len(direct.frames))
	}
	for i := range sink.frames {
		if sink.frames[i].DTS != direct.frames[i].DTS || sink.frames[i].Track != direct.frames[i].Track {
			t.Fatalf("frame %d differs", i)
		}
	}
}
