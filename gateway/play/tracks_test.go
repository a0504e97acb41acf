package play

import (
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"

	"streamhive/media"
	"streamhive/media/hls"
)

func TestSelectedIDs(t *testing.T) {
	tracks := []media.Track{
		{ID: 0, Codec: media.CodecH264},
		{ID: 1, Codec: media.CodecAAC},
		{ID: 2, Codec: media.CodecH264},
		{ID: 3, Codec: media.CodecAAC},
	}
	for sel, want := range map[string][]int{"v1": {0}, "v2": {2}, "a2": {3}, "a2v1": {0, 3}, "v1a1a2": {0, 1, 3}, "v1v1": {0}} {
		got, err := selectedIDs(tracks, sel)
		if err != nil || len(got) != len(want) {
			t.Errorf("%s: %v, %v; want %v", sel, got, err, want)
			continue
		}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("%s: %v, want %v", sel, got, want)
			}
		}
	}
	if _, err := selectedIDs(tracks, "v3"); !errors.Is(err, errNoSelTrack) {
		t.Errorf("v3: %v", err)
	}
	if s, err := stbSelection(tracks[:1]); s != "v1" || err != nil {
		t.Errorf("video only: %q %v", s, err)
	}
	if _, err := stbSelection(tracks[1:2]); !errors.Is(err, errNoVideo) {
		t.Errorf("audio only: %v", err)
	}
}

// Concurrent viewers of one segment and selection share one selection;
// another selection is its own; a source that is garbage leaves.
func TestSelCache(t *testing.T) {
	var c selCache
	src := make([]byte, 188*4)
	var made atomic.Int32
	mk := func() ([]byte, error) { made.Add(1); return []byte{1}, nil }
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			if b, err := c.get(src, []int{0}, mk); err != nil || len(b) != 1 {
				t.Errorf("get: %v %v", b, err)
			}
		})
	}
	wg.Wait()
	if made.Load() != 1 {
		t.Fatalf("made %d times", made.Load())
	}
	if _, _ = c.get(src, []int{0, 1}, mk); made.Load() != 2 {
		t.Fatalf("another selection: made %d times", made.Load())
	}
	if _, _ = c.get(src[:188], []int{0}, mk); made.Load() != 3 {
		t.Fatalf("a prefix (a part) of the same array: made %d times", made.Load())
	}
	if _, err := c.get(src, []int{2}, func() ([]byte, error) { return nil, errNoSelTrack }); err == nil {
		t.Fatal("error lost")
	}
	if _, _ = c.get(src, []int{2}, mk); made.Load() != 4 {
		t.Fatal("an error was kept")
	}
	runtime.KeepAlive(src)
	src = nil
	runtime.GC()
	c.sweep()
	n := 0
	c.m.Range(func(any, any) bool { n++; return true })
	if n != 0 {
		t.Fatalf("%d entries after the source died", n)
	}
}

func FuzzParseTracksDir(f *testing.F) {
	for _, s := range []string{"tracks-v1a1", "tracks-a2", "tracks-v1a1a2a3", "tracks-v0", "tracks-", "tracks-v999", "tracks-x1"} {
		f.Add(s, "mono.m3u8")
	}
	f.Add("tracks-v1", "seg-3.part-1.ts")
	f.Fuzz(func(t *testing.T, dir, file string) {
		r, isSel, ok := parseTracksDir(dir, file)
		if !isSel {
			return
		}
		refs, err := parseTrackList(r.tracks)
		if err != nil || len(refs) > mseMaxTracks || len(dir) > len(tracksPrefix)+maxTrackQuery {
			t.Errorf("%q: selection %q, %v", dir, r.tracks, err)
		}
		if ok && r.format != hls.TS {
			t.Errorf("%q/%q: format %d", dir, file, r.format)
		}
	})
}
