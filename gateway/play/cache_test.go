package play

import (
	"runtime"
	"sync"
	"testing"
	"time"
	"weak"

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
		if _, err := c.get("s", w, key, render); err != nil {
			t.Fatal(err)
		}
	}
	if renders != 1 {
		t.Errorf("one version: %d renders, want 1", renders)
	}
	_, _ = c.get("s", w, playlistKey{kind: kindMaster}, render)
	if renders != 2 {
		t.Errorf("second key: %d renders, want 2", renders)
	}
	newer := &segment.Window{Version: w.Version + 1}
	_, _ = c.get("s", newer, key, render)
	_, _ = c.get("s", newer, key, render)
	if renders != 3 {
		t.Errorf("newer version: %d renders, want 3", renders)
	}
	_, _ = c.get("s", w, key, render) // older than the newest seen: not cached
	_, _ = c.get("s", w, key, render)
	if renders != 5 {
		t.Errorf("older version: %d renders, want 5", renders)
	}
	_, _ = c.get("other", w, key, render) // another stream: its own entry
	_, _ = c.get("other", w, key, render)
	if renders != 6 {
		t.Errorf("another stream: %d renders, want 6", renders)
	}
	runtime.KeepAlive(newer) // alive, it keeps w "older"
}

// TestRenderCacheConcurrent: readers racing on versions get what their
// own window renders to.
func TestRenderCacheConcurrent(t *testing.T) {
	var c renderCache
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for v := range uint64(200) {
				w := &segment.Window{Version: v + uint64(g%2)}
				want := string(rune('a' + w.Version%26))
				r, _ := c.get("s", w, playlistKey{}, func() ([]byte, error) { return []byte(want), nil })
				if string(r.body) != want {
					t.Errorf("version %d: got %q want %q", w.Version, r.body, want)
					return
				}
			}
		})
	}
	wg.Wait()
}

// TestRenderCacheNewLineage: the cache holds no window alive, and a stream
// that started over (versions from the start again) is cached once its old
// lineage's window is garbage.
func TestRenderCacheNewLineage(t *testing.T) {
	var c renderCache
	renders := 0
	render := func() ([]byte, error) { renders++; return []byte("x"), nil }
	old := &segment.Window{Version: 100}
	gone := weak.Make(old)
	_, _ = c.get("s", old, playlistKey{}, render)
	fresh := &segment.Window{Version: 1}
	_, _ = c.get("s", fresh, playlistKey{}, render)
	_, _ = c.get("s", fresh, playlistKey{}, render)
	if renders != 3 {
		t.Errorf("while the old window lives: %d renders, want 3 (new lineage not cached)", renders)
	}
	runtime.KeepAlive(old)
	mediatest.WaitFor(t, 5*time.Second, "the cache to let the old window go", func() bool {
		runtime.GC()
		return gone.Value() == nil
	})
	renders = 0
	for range 3 {
		_, _ = c.get("s", fresh, playlistKey{}, render)
	}
	if renders != 1 {
		t.Errorf("after the old window is gone: %d renders, want 1", renders)
	}
}
