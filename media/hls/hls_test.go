package hls

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"streamhive/media/segment"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Errorf("%s differs from the golden file; got:\n%s", name, got)
	}
}

func TestGolden(t *testing.T) {
	w := testWindow()
	n := DefaultNames{}
	short := longWindow()
	for _, tc := range []struct {
		file   string
		render func() ([]byte, error)
	}{
		{"master.ts.m3u8", func() ([]byte, error) { return Master(w, MasterOptions{Format: TS, Names: n}) }},
		{"master.fmp4.m3u8", func() ([]byte, error) { return Master(w, MasterOptions{Format: FMP4, Names: n}) }},
		{"master.fmp4.ll.m3u8", func() ([]byte, error) {
			return Master(w, MasterOptions{Format: FMP4, LowLatency: true, Names: n})
		}},
		{"mono.m3u8", func() ([]byte, error) { return Media(w, MediaOptions{Format: TS, Names: n}) }},
		{"mono.ll.m3u8", func() ([]byte, error) { return Media(w, MediaOptions{Format: TS, LowLatency: true, Names: n}) }},
		{"track-0.m3u8", func() ([]byte, error) { return Media(w, MediaOptions{Format: FMP4, Track: 0, Names: n}) }},
		{"track-1.ll.m3u8", func() ([]byte, error) {
			return Media(w, MediaOptions{Format: FMP4, Track: 1, LowLatency: true, Names: n})
		}},
		// Delta updates (_HLS_skip=YES): the segments older than six
		// target durations (12 s) before the end become one
		// EXT-X-SKIP; the first one listed names its init again.
		{"mono.ll.skip.m3u8", func() ([]byte, error) {
			return Media(short, MediaOptions{Format: TS, LowLatency: true, Skip: true, Names: n})
		}},
		{"track-1.ll.skip.m3u8", func() ([]byte, error) {
			return Media(short, MediaOptions{Format: FMP4, Track: 1, LowLatency: true, Skip: true, Names: n})
		}},
		// The image track (thumbnails): announced in the master, and its
		// image media playlist lists one 1x1 tile per segment.
		{"master.images.m3u8", func() ([]byte, error) {
			return Master(w, MasterOptions{Format: TS, Names: n, Images: []Image{{Width: 320, Height: 180, URI: "images-320x180/index.m3u8"}}})
		}},
		{"images.m3u8", func() ([]byte, error) {
			return ImagePlaylist(w, ImageOptions{Width: 320, Height: 180, Name: func(at int64) string {
				return fmt.Sprintf("seg-%d-0.hls.jpg", at)
			}})
		}},
		{"track-1.noskip.m3u8", func() ([]byte, error) { // no skipping outside LL-HLS
			return Media(short, MediaOptions{Format: FMP4, Track: 1, Skip: true, Names: n})
		}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			got, err := tc.render()
			if err != nil {
				t.Fatal(err)
			}
			golden(t, tc.file, got)
		})
	}
}

// longWindow is testWindow with six more segments of epoch 0 before it
// (MSN 4 to 9): 22.4 s in all.
func longWindow() *segment.Window {
	w := testWindow()
	first := w.Segments[0]
	var older []*segment.Segment
	for i := range 6 {
		s := *first
		back := time.Duration(6-i) * 2 * time.Second
		s.MSN, s.DTS, s.ProgramDateTime = first.MSN-uint64(6-i), first.DTS-back, first.ProgramDateTime.Add(-back)
		older = append(older, &s)
	}
	w.Segments = append(older, w.Segments...)
	return w
}

func TestNotReady(t *testing.T) {
	w := &segment.Window{Tracks: testTracks}
	if _, err := Media(w, MediaOptions{Format: TS, Names: DefaultNames{}}); !errors.Is(err, ErrNotReady) {
		t.Errorf("media: got %v, want ErrNotReady", err)
	}
	if _, err := Master(w, MasterOptions{Names: DefaultNames{}}); !errors.Is(err, ErrNotReady) {
		t.Errorf("master: got %v, want ErrNotReady", err)
	}
	if _, err := Media(testWindow(), MediaOptions{Format: FMP4, Track: 5, Names: DefaultNames{}}); !errors.Is(err, ErrNoTrack) {
		t.Errorf("track 5: got %v, want ErrNoTrack", err)
	}
}

func TestEndedHasEndlistAndNoHint(t *testing.T) {
	w := testWindow()
	w.Ended, w.Partial = true, nil
	got, err := Media(w, MediaOptions{Format: TS, LowLatency: true, Names: DefaultNames{}})
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "ended.ll.m3u8", got)
}
