package export

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"streamhive/media"
	"streamhive/media/dvr"
	"streamhive/media/dvr/export/archivetest"
	"streamhive/media/mediatest"
)

var (
	clipOnce sync.Once
	clip     *mediatest.Clip
	clipErr  error
)

func loadClip(t testing.TB) *mediatest.Clip {
	t.Helper()
	clipOnce.Do(func() { clip, clipErr = mediatest.LoadClip() })
	if clipErr != nil {
		t.Fatal(clipErr)
	}
	return clip
}

// t0 is a fixed wall clock for recordings.
var t0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

// record builds an archive of runs: each is (offset from t0, duration).
func record(t testing.TB, runs ...[2]time.Duration) *archivetest.Archive {
	t.Helper()
	a := archivetest.New()
	for _, r := range runs {
		if err := a.Record(loadClip(t), nil, t0.Add(r[0]), r[1]); err != nil {
			t.Fatal(err)
		}
	}
	return a
}

// writeFile exports [from, to) of a into a temporary file.
func writeFile(t *testing.T, a dvr.Archive, from, to time.Time) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "out.mp4")
	var b bytes.Buffer
	if err := WriteMP4(context.Background(), a, from, to, &b); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestWriteMP4Range: a range inside the recording exports the records
// overlapping it, whole.
func TestWriteMP4Range(t *testing.T) {
	a := record(t, [2]time.Duration{0, 20 * time.Second})
	p, err := Prepare(context.Background(), a, t0.Add(5*time.Second), t0.Add(9*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if p.Start().After(t0.Add(5*time.Second)) || p.Start().Before(t0.Add(3*time.Second)) {
		t.Errorf("starts at %s, want the record holding t0+5s", p.Start().Sub(t0))
	}
	if p.End().Before(t0.Add(9*time.Second)) || p.End().After(t0.Add(11*time.Second)) {
		t.Errorf("ends at %s, want the record holding t0+9s", p.End().Sub(t0))
	}
	var b bytes.Buffer
	if err := p.Write(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
	if int64(b.Len()) != p.Size() {
		t.Errorf("wrote %d bytes, Size says %d", b.Len(), p.Size())
	}
}

// TestWriteMP4Errors: no recording, a codec change, a record gone.
func TestWriteMP4Errors(t *testing.T) {
	c := loadClip(t)
	a := record(t, [2]time.Duration{0, 8 * time.Second})
	var b bytes.Buffer
	err := WriteMP4(context.Background(), a, t0.Add(time.Hour), t0.Add(2*time.Hour), &b)
	if !errors.Is(err, ErrNoRecording) {
		t.Errorf("empty range: %v, want ErrNoRecording", err)
	}
	mono := append([]media.Track(nil), c.Tracks...)
	mono[1].Channels = 1
	if err := a.Record(c, mono, t0.Add(10*time.Second), 4*time.Second); err != nil {
		t.Fatal(err)
	}
	err = WriteMP4(context.Background(), a, t0, t0.Add(time.Minute), &b)
	if !errors.Is(err, ErrCodecChange) || b.Len() != 0 {
		t.Errorf("codec change: %v, %d bytes written; want ErrCodecChange and none", err, b.Len())
	}
	if err := WriteMP4(context.Background(), a, t0.Add(10*time.Second), t0.Add(time.Minute), &b); err != nil {
		t.Errorf("the second epoch alone: %v", err)
	}
	p, err := Prepare(context.Background(), a, t0, t0.Add(8*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	a.Delete(t0.Add(4*time.Second), t0.Add(6*time.Second))
	b.Reset()
	if err := p.Write(context.Background(), &b); !errors.Is(err, dvr.ErrGone) {
		t.Errorf("record deleted between passes: %v, want ErrGone", err)
	}
}

// TestKeyframe: a record's first video sample comes back as an IDR frame.
func TestKeyframe(t *testing.T) {
	a := record(t, [2]time.Duration{0, 4 * time.Second})
	recs := a.Records(t0, t0.Add(time.Minute))
	track, f, err := Keyframe(a, recs[1])
	if err != nil {
		t.Fatal(err)
	}
	if track.Codec != media.CodecH264 || !f.Keyframe || len(f.Data) == 0 {
		t.Fatalf("got %v %+v", track.Codec, f)
	}
	idr := false
	for _, n := range f.Data {
		idr = idr || n[0]&0x1f == 5
	}
	if !idr {
		t.Errorf("no IDR NAL unit in %d units", len(f.Data))
	}
}

func FuzzSplitLengthPrefixed(f *testing.F) {
	f.Add([]byte{0, 0, 0, 1, 0x65})
	f.Add([]byte{0, 0, 0, 9, 1})
	f.Fuzz(func(t *testing.T, b []byte) {
		nalus, err := splitLengthPrefixed(b)
		if err != nil {
			return
		}
		n := 0
		for _, u := range nalus {
			n += 4 + len(u)
		}
		if n != len(b) {
			t.Errorf("%d bytes split into %d", len(b), n)
		}
	})
}
