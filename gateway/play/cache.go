package play

import (
	"sync"
	"sync/atomic"
	"weak"

	"streamhive/media/hls"
	"streamhive/media/segment"
)

// renderCache keeps the latest rendering of each playlist of each stream,
// keyed by the stream's name and its window: the renderers are pure
// functions of the window, so every viewer of one window shares one
// rendering. That matters most for LL-HLS, where every blocked viewer
// wakes on the same part at once.
//
// Each rendering is kept with the places where its URIs end, so that a
// viewer's session query is spliced in per request (childquery.go)
// without rendering again.
//
// A stream keeps one generation: the renderings of the newest window seen
// (by Window.Version). Windows are held weakly, so the cache never keeps a
// window's segments alive. A stream that started over numbers its versions
// from the start again: its windows are cached once the old lineage's
// window is garbage (until then they are rendered per request). An entry
// per stream name ever served stays: a few words each.
type renderCache struct {
	m sync.Map // stream name → *versions
}

// versions holds the renderings of a stream's newest window seen.
type versions struct {
	cur atomic.Pointer[generation]
}

// generation is the renderings of one window.
type generation struct {
	win     weak.Pointer[segment.Window]
	version uint64
	out     sync.Map // playlistKey → rendering
}

// playlistKey names one rendering of a window.
type playlistKey struct {
	kind       kind
	format     hls.Format
	lowLatency bool
	track      int
	skip       bool   // a delta update (_HLS_skip)
	tracks     string // a track selection (tracks.go)
	stb        bool   // video.m3u8
	// images: the image tracks a master announces, or the box of an image
	// playlist (imageKey), so that a change of the stream's thumbnails is
	// a new rendering.
	images string
}

// get returns the rendering key of stream's window w (an M3U8 playlist),
// rendering it at most once per window. Renderings of a window older than
// the newest one seen are not cached. Errors are not cached. The bytes
// returned must not be modified.
func (c *renderCache) get(stream string, w *segment.Window, key playlistKey, render func() ([]byte, error)) (rendering, error) {
	g := c.generation(stream, w)
	if g == nil {
		return renderM3U8(render)
	}
	if r, ok := g.out.Load(key); ok {
		return r.(rendering), nil
	}
	r, err := renderM3U8(render)
	if err != nil {
		return rendering{}, err
	}
	g.out.Store(key, r)
	return r, nil
}

// renderM3U8 renders a playlist and finds its URIs.
func renderM3U8(render func() ([]byte, error)) (rendering, error) {
	b, err := render()
	if err != nil {
		return rendering{}, err
	}
	return rendering{body: b, cuts: playlistCuts(b)}, nil
}

// generation returns the entry of stream's window w, creating it when w is
// newer than the stream's current one (or that one is garbage); nil for an
// older window.
func (c *renderCache) generation(stream string, w *segment.Window) *generation {
	v, ok := c.m.Load(stream)
	if !ok {
		v, _ = c.m.LoadOrStore(stream, &versions{})
	}
	vs := v.(*versions)
	wp := weak.Make(w)
	for {
		g := vs.cur.Load()
		switch {
		case g != nil && g.win == wp:
			return g
		case g != nil && g.version >= w.Version && g.win.Value() != nil:
			return nil
		}
		if ng := (&generation{win: wp, version: w.Version}); vs.cur.CompareAndSwap(g, ng) {
			return ng
		}
	}
}
