package play

import (
	"runtime"
	"sync"
	"sync/atomic"
	"weak"

	"streamhive/media/hls"
	"streamhive/media/segment"
)

// renderCache keeps the latest rendering of each playlist of each
// segmenter, keyed by Window.Version: the renderers are pure functions of
// the window, so every viewer of one version shares one rendering. That
// matters most for LL-HLS, where every blocked viewer wakes on the same
// part at once.
//
// Segmenters are held weakly: an entry goes away when its segmenter is
// garbage, so the cache never outlives a stream.
type renderCache struct {
	m sync.Map // weak.Pointer[segment.Segmenter] → *versions
}

// versions holds the renderings of a segmenter's newest version seen.
type versions struct {
	cur atomic.Pointer[generation]
}

// generation is the renderings of one Window version.
type generation struct {
	version uint64
	out     sync.Map // playlistKey → []byte
}

// playlistKey names one rendering of a window.
type playlistKey struct {
	kind       kind
	format     hls.Format
	lowLatency bool
	track      int
}

// get returns the rendering key of w, rendering it at most once per
// version. Renderings of a window older than the newest one seen are not
// cached. Errors are not cached. The bytes returned must not be modified.
func (c *renderCache) get(sg *segment.Segmenter, w *segment.Window, key playlistKey, render func() ([]byte, error)) ([]byte, error) {
	g := c.generation(sg, w.Version)
	if g == nil {
		return render()
	}
	if b, ok := g.out.Load(key); ok {
		return b.([]byte), nil
	}
	b, err := render()
	if err != nil {
		return nil, err
	}
	g.out.Store(key, b)
	return b, nil
}

// generation returns the entry of sg's version, creating it when version
// is the newest; nil for an older version.
func (c *renderCache) generation(sg *segment.Segmenter, version uint64) *generation {
	wp := weak.Make(sg)
	v, ok := c.m.Load(wp)
	if !ok {
		var loaded bool
		v, loaded = c.m.LoadOrStore(wp, &versions{})
		if !loaded {
			runtime.AddCleanup(sg, func(k weak.Pointer[segment.Segmenter]) { c.m.Delete(k) }, wp)
		}
	}
	vs := v.(*versions)
	for {
		g := vs.cur.Load()
		switch {
		case g != nil && g.version == version:
			return g
		case g != nil && g.version > version:
			return nil
		}
		if ng := (&generation{version: version}); vs.cur.CompareAndSwap(g, ng) {
			return ng
		}
	}
}
