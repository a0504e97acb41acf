package mp4file

import (
	"bytes"
	"errors"
	"os"
	"testing"
	"time"

	"streamhive/media"
)

func load(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestOpen: both forms of the clip give the same tracks and frames: one
// video track with B-frames, two audio tracks, and the subtitle as a text track.
func TestOpen(t *testing.T) {
	var frames [2][]*media.Frame
	for k, name := range []string{"progressive.mp4", "fragmented.mp4"} {
		data := load(t, name)
		m, err := Open(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(m.Tracks) != 3 || m.Tracks[0].Codec != media.CodecH264 || m.Tracks[0].Width != 160 ||
			m.Tracks[1].Codec != media.CodecAAC || m.Tracks[2].Codec != media.CodecAAC || m.Skipped != 0 || len(m.Subtitles) != 1 {
			t.Fatalf("%s: tracks %+v, %d skipped", name, m.Tracks, m.Skipped)
		}
		if d := m.Duration(); d < 2*time.Second || d > 2100*time.Millisecond {
			t.Errorf("%s: duration %v", name, d)
		}
		video := m.Table(0).Samples
		if len(video) != 50 || !video[0].Sync || !video[25].Sync || video[1].Sync {
			t.Fatalf("%s: %d video samples, sync 0/1/25 %v/%v/%v", name, len(video), video[0].Sync, video[1].Sync, video[25].Sync)
		}
		reordered := false
		for id := range m.Tracks {
			for i := range m.Table(id).Samples {
				f, err := m.Frame(id, i)
				if err != nil {
					t.Fatalf("%s: track %d sample %d: %v", name, id, i, err)
				}
				reordered = reordered || f.PTS != f.DTS
				frames[k] = append(frames[k], f)
			}
		}
		if !reordered {
			t.Errorf("%s: no B-frames", name)
		}
	}
	if len(frames[0]) != len(frames[1]) {
		t.Fatalf("progressive %d frames, fragmented %d", len(frames[0]), len(frames[1]))
	}
	for i, f := range frames[0] {
		g := frames[1][i]
		if f.Track != g.Track || f.Size() != g.Size() || f.Keyframe != g.Keyframe {
			t.Fatalf("frame %d: progressive %+v, fragmented %+v", i, f, g)
		}
	}
}

// TestCorrupt: every cut of the file and a few bytes overwritten anywhere
// give an error wrapping ErrCorrupt (or an I/O error reading a sample),
// never a panic or a huge allocation.
func TestCorrupt(t *testing.T) {
	for _, name := range []string{"progressive.mp4", "fragmented.mp4"} {
		data := load(t, name)
		for n := 0; n < len(data); n += 397 {
			cut := data[:n]
			if _, err := Open(bytes.NewReader(cut), int64(n)); !errors.Is(err, ErrCorrupt) {
				t.Fatalf("%s cut at %d: %v, want ErrCorrupt", name, n, err)
			}
		}
		for pos := 0; pos+4 <= len(data); pos += 211 {
			bad := bytes.Clone(data)
			copy(bad[pos:], []byte{0xff, 0xff, 0xff, 0xf0})
			readAll(bytes.NewReader(bad), int64(len(bad)))
		}
	}
	for _, junk := range [][]byte{nil, []byte("not an mp4 at all"), {0, 0, 0, 1, 'f', 't', 'y', 'p'}} {
		if _, err := Open(bytes.NewReader(junk), int64(len(junk))); !errors.Is(err, ErrCorrupt) {
			t.Errorf("%q: %v, want ErrCorrupt", junk, err)
		}
	}
}

// readAll opens a file and reads every frame, ignoring errors: what the
// fuzz target and the corruption test run.
func readAll(r *bytes.Reader, size int64) {
	m, err := Open(r, size)
	if err != nil {
		return
	}
	_ = m.Duration()
	for id := range m.Tracks {
		for i := range m.Table(id).Samples {
			_, _ = m.Frame(id, i)
		}
	}
	for i := range m.Subtitles {
		_, _ = m.Cues(i, -time.Hour, m.Duration()+time.Hour)
	}
}

func FuzzOpen(f *testing.F) {
	f.Add(load(f, "progressive.mp4"))
	f.Add(load(f, "fragmented.mp4"))
	f.Fuzz(func(_ *testing.T, data []byte) {
		readAll(bytes.NewReader(data), int64(len(data)))
	})
}
