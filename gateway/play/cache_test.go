package play

import (
	"runtime"
	"sync"
	"testing"
	"time"

	"streamhive/media/mediatest"
	"streamhive/media/segment"
)

// staticSegmenter returns a segmenter holding d of the clip, not fed
// further.
func staticSegmenter(t testing.TB, d time.Duration) *segment.Segmenter {
	t.Helper()
	c := loadClip(t)
	sg := segment.New(segment.Config{})
	if err := sg.SetTracks(c.Tracks); err != nil {
		t.Fatal(err)
	}
	for _, f := range c.Loop(d) {
		if f.DTS < d {
			sg.WriteFrame(f)
		}
	}
	return sg
}

func TestRenderCache(t *testing.T) {
	var c renderCache
	sg := staticSegmenter(t, 8*time.Second)
	w := sg.Window()
	renders := 0
	render := func() ([]byte, error) { renders++; return []byte("x"), nil }
	key := playlistKey{kind: kindMedia}
	for range 3 {
		if _, err := c.get(sg, w, key, render); err != nil {
			t.Fatal(err)
		}
	}
	if renders != 1 {
		t.Errorf("one version: %d renders, want 1", renders)
	}
	_, _ = c.get(sg, w, playlistKey{kind: kindMaster}, render)
	if renders != 2 {
		t.Errorf("second key: %d renders, want 2", renders)
	}
	newer := &segment.Window{Version: w.Version + 1}
	_, _ = c.get(sg, newer, key, render)
	_, _ = c.get(sg, newer, key, render)
	if renders != 3 {
		t.Errorf("newer version: %d renders, want 3", renders)
	}
	_, _ = c.get(sg, w, key, render) // older than the newest seen: not cached
	_, _ = c.get(sg, w, key, render)
	if renders != 5 {
		t.Errorf("older version: %d renders, want 5", renders)
	}
}

// TestRenderCacheConcurrent: readers racing on versions get what their
// own window renders to.
func TestRenderCacheConcurrent(t *testing.T) {
	var c renderCache
	sg := staticSegmenter(t, 8*time.Second)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for v := range uint64(200) {
				w := &segment.Window{Version: v + uint64(g%2)}
				want := string(rune('a' + w.Version%26))
				b, _ := c.get(sg, w, playlistKey{}, func() ([]byte, error) { return []byte(want), nil })
				if string(b) != want {
					t.Errorf("version %d: got %q want %q", w.Version, b, want)
					return
				}
			}
		})
	}
	wg.Wait()
}

// TestRenderCacheForgets: an entry goes when its segmenter is garbage.
func TestRenderCacheForgets(t *testing.T) {
	var c renderCache
	func() {
		sg := staticSegmenter(t, 3*time.Second)
		_, _ = c.get(sg, sg.Window(), playlistKey{}, func() ([]byte, error) { return nil, nil })
	}()
	mediatest.WaitFor(t, 5*time.Second, "the entry to go after its segmenter was collected", func() bool {
		runtime.GC()
		n := 0
		c.m.Range(func(_, _ any) bool { n++; return true })
		return n == 0
	})
}
