package mpegts

import (
	"bytes"
	"context"
	"errors"
	"io"
	"testing"

	"streamhive/media"
	"streamhive/protocols/mpegts/mpegtstest"
)

// errCut stands for a transport that fails: a dropped connection, a
// segment fetch that got a 404.
var errCut = errors.New("connection cut")

// TestReaderErrorWins checks that a reader that fails before the tracks
// are known is what the demux reports (with what was missing wrapped
// in), while a clean end still reports only what was missing.
func TestReaderErrorWins(t *testing.T) {
	clean := mpegtstest.H264AAC(t, "1")
	noPMT := join(dropPID(packets(t, clean), pmtPID))
	for _, tc := range []struct {
		name    string
		data    []byte
		readErr error // what the reader ends with
		want    []error
		notWant error
	}{
		{"failed at once", nil, errCut, []error{errCut, ErrNoPAT}, nil},
		{"failed after garbage", bytes.Repeat([]byte{0x11}, 4000), errCut, []error{errCut, ErrNoPAT}, nil},
		{"failed before the PMT", noPMT, errCut, []error{errCut, ErrNoPMT}, nil},
		{"failed after the tracks", clean, errCut, []error{errCut}, ErrNoPAT},
		{"clean end before the PAT", nil, io.EOF, []error{ErrNoPAT}, io.EOF},
		{"clean end before the PMT", noPMT, io.EOF, []error{ErrNoPMT}, io.EOF},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stats := &media.InputStats{}
			r := io.MultiReader(bytes.NewReader(tc.data), failing{tc.readErr})
			d := NewDemuxer(r, Config{}, stats)
			_, err := d.Tracks()
			for err == nil {
				_, err = d.ReadFrame()
			}
			for _, w := range tc.want {
				if !errors.Is(err, w) {
					t.Errorf("got %v, want it to wrap %v", err, w)
				}
			}
			if tc.notWant != nil && errors.Is(err, tc.notWant) {
				t.Errorf("got %v, which wraps %v", err, tc.notWant)
			}
		})
	}
}

// TestStreamReaderError checks the same through Stream, which every TS
// pull (udp, tshttp, hls) runs: the transport's error reaches the input.
func TestStreamReaderError(t *testing.T) {
	r := io.MultiReader(bytes.NewReader(bytes.Repeat([]byte{0x47}, 100)), failing{errCut})
	err := Stream(context.Background(), r, Config{}, func([]media.Track) (media.Sink, error) {
		t.Fatal("published without tracks")
		return nil, nil
	})
	if !errors.Is(err, errCut) || !errors.Is(err, ErrNoPAT) {
		t.Fatalf("got %v, want %v wrapping %v", err, errCut, ErrNoPAT)
	}
}

// failing is a reader that always fails with err.
type failing struct{ err error }

func (f failing) Read([]byte) (int, error) { return 0, f.err }
