package mp4file

import (
	"bytes"
	"testing"
	"time"
)

// TestCues: the clip's mov_text track (make.sh: "hello" from 0 to 1.5 s)
// reads back as one cue in both forms of the file, on the video's
// presentation timeline (the first picture's PTS is the text's 0), found
// from any range that overlaps it and from none that does not.
func TestCues(t *testing.T) {
	for _, name := range []string{"progressive.mp4", "fragmented.mp4"} {
		data := load(t, name)
		m, err := Open(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		s := m.Subtitles[0]
		if s.Format != FormatTx3g || len(s.Language) != 3 {
			t.Fatalf("%s: subtitle %+v", name, s)
		}
		cues, err := m.Cues(0, 0, m.Duration())
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		first, err := m.Frame(0, 0)
		if err != nil {
			t.Fatal(err)
		}
		zero := first.PTS
		want := Cue{Start: zero, End: zero + 1500*time.Millisecond, Text: "hello"}
		if len(cues) != 1 || cues[0] != want {
			t.Fatalf("%s: cues %+v, want %+v", name, cues, want)
		}
		if c, _ := m.Cues(0, zero+time.Second, 2*time.Second); len(c) != 1 {
			t.Errorf("%s: from 1 s: %+v", name, c)
		}
		if c, _ := m.Cues(0, zero+1500*time.Millisecond, 3*time.Second); len(c) != 0 {
			t.Errorf("%s: from 1.5 s: %+v", name, c)
		}
	}
}

func TestTx3gText(t *testing.T) {
	for _, c := range []struct {
		in   []byte
		want string
		bad  bool
	}{
		{in: []byte{0, 5, 'h', 'e', 'l', 'l', 'o', 0, 0, 0, 8, 's', 't', 'y', 'l'}, want: "hello"},
		{in: []byte{0, 0}, want: ""},
		{in: []byte{0, 9, 'a', '\n', '\n', 'b', '-', '-', '>', '\r', '\n'}, want: "a\nb--&gt;"},
		{in: []byte{0, 6, 'h', 'i'}, bad: true},
		{in: []byte{0}, bad: true},
	} {
		got, err := Tx3gText(c.in)
		if (err != nil) != c.bad || got != c.want {
			t.Errorf("%q: %q, %v", c.in, got, err)
		}
	}
}

func TestWvttText(t *testing.T) {
	box := func(kind string, body []byte) []byte {
		n := len(body) + 8
		return append([]byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n), kind[0], kind[1], kind[2], kind[3]}, body...)
	}
	cue := box("vttc", append(box("sttg", []byte("line:0")), box("payl", []byte("hi"))...))
	if got, err := WvttText(append(cue, box("vttc", box("payl", []byte("there")))...)); err != nil || got != "hi\nthere" {
		t.Errorf("two cues: %q, %v", got, err)
	}
	if got, err := WvttText(box("vtte", nil)); err != nil || got != "" {
		t.Errorf("empty: %q, %v", got, err)
	}
	if _, err := WvttText(cue[:len(cue)-1]); err == nil {
		t.Error("truncated sample read")
	}
}

// FuzzText: neither decoder panics, and what they return is one cue's
// payload (no blank line).
func FuzzText(f *testing.F) {
	f.Add([]byte{0, 5, 'h', 'e', 'l', 'l', 'o'})
	f.Add([]byte{0, 0, 0, 16, 'v', 't', 't', 'c', 0, 0, 0, 8, 'p', 'a', 'y', 'l'})
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, decode := range []func([]byte) (string, error){Tx3gText, WvttText} {
			s, err := decode(b)
			if err == nil && (bytes.Contains([]byte(s), []byte("\n\n")) || bytes.Contains([]byte(s), []byte("-->"))) {
				t.Fatalf("%q gave %q", b, s)
			}
		}
	})
}
