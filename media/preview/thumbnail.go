package preview

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/jpeg"
	"time"
)

// keepKeyframes bounds the keyframes kept for thumbnails (while
// KeepThumbnails is on): a minute of 2 s GOPs, the span of a live window.
// They are the hub's immutable frames, so keeping one costs no copy, only
// its lifetime: some 40 KB each at 4 Mbit/s.
const keepKeyframes = 32

// keepThumbnails bounds the cached thumbnail pictures of a stream.
const keepThumbnails = 64

// Box is the area a thumbnail is fitted into; the zero Box keeps the
// picture's own size.
type Box struct{ W, H int }

// stamped is a keyframe and the wall clock it arrived at.
type stamped struct {
	key *keyframe
	at  time.Time
}

// thumbKey names one cached thumbnail.
type thumbKey struct {
	key *keyframe
	box Box
}

// thumbs is the keyframes kept for thumbnails and their cached pictures,
// guarded by Preview.mu.
type thumbs struct {
	ring  []stamped
	cache map[thumbKey][]byte
}

// remember keeps k, arrived at at, dropping the oldest keyframe (and its
// pictures) beyond keepKeyframes.
func (t *thumbs) remember(k *keyframe, at time.Time) {
	t.ring = append(t.ring, stamped{key: k, at: at})
	if len(t.ring) <= keepKeyframes {
		return
	}
	gone := t.ring[0].key
	t.ring = append(t.ring[:0], t.ring[1:]...)
	for tk := range t.cache {
		if tk.key == gone {
			delete(t.cache, tk)
		}
	}
}

// nearest is the kept keyframe that arrived closest to at, or nil.
func (t *thumbs) nearest(at time.Time) *keyframe {
	var best *keyframe
	var bestGap time.Duration
	for _, s := range t.ring {
		gap := s.at.Sub(at).Abs()
		if best == nil || gap < bestGap {
			best, bestGap = s.key, gap
		}
	}
	return best
}

// Thumbnail returns a JPEG of the kept keyframe that arrived closest to
// at, fitted into box (never enlarged), or ErrNoPicture while there is
// none. A picture is made on its first request, from one decode of the
// keyframe shared by every size, and cached while the keyframe is kept:
// viewers of the thumbnail track cost no decoder of their own. Without
// KeepThumbnails there is no kept keyframe (ErrNoPicture). ctx bounds
// the wait for another request's decode. The bytes are shared: callers
// must not modify them.
func (p *Preview) Thumbnail(ctx context.Context, at time.Time, box Box) ([]byte, error) {
	k, b := p.lookup(at, box)
	if k == nil {
		return nil, ErrNoPicture
	}
	if b != nil {
		return b, nil
	}
	select {
	case p.turn <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-p.turn }()
	if _, b := p.lookup(at, box); b != nil {
		return b, nil // made while we waited
	}
	_, full := p.lookup(at, Box{})
	if full == nil {
		var err error
		if full, err = p.encode(k.track, k.frame); err != nil {
			return nil, err
		}
		p.store(k, Box{}, full)
	}
	b, err := fit(full, box)
	if err != nil {
		return nil, err
	}
	p.store(k, box, b)
	return b, nil
}

// lookup finds the keyframe closest to at and its cached picture in box.
func (p *Preview) lookup(at time.Time, box Box) (*keyframe, []byte) {
	p.mu.Lock()
	defer p.mu.Unlock()
	k := p.thumbs.nearest(at)
	return k, p.thumbs.cache[thumbKey{key: k, box: box}]
}

// store caches k's picture in box unless k is no longer kept or the cache
// is full (a request for an unusual size then makes it again).
func (p *Preview) store(k *keyframe, box Box, b []byte) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.thumbs.cache) >= keepThumbnails {
		return
	}
	for _, s := range p.thumbs.ring {
		if s.key == k {
			if p.thumbs.cache == nil {
				p.thumbs.cache = map[thumbKey][]byte{}
			}
			p.thumbs.cache[thumbKey{key: k, box: box}] = b
			return
		}
	}
}

// Fit scales the JPEG full down into box as Thumbnail does (never
// enlarged; the zero Box keeps it): for pictures made elsewhere, such as
// an archive's keyframes.
func Fit(full []byte, box Box) ([]byte, error) { return fit(full, box) }

// fit scales the JPEG full down into box, keeping its aspect ratio, by
// averaging the source pixels under each target pixel; a box the picture
// already fits returns full itself.
func fit(full []byte, box Box) ([]byte, error) {
	if box.W <= 0 || box.H <= 0 {
		return full, nil
	}
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(full))
	if err != nil {
		return nil, err
	}
	w, h := cfg.Width, cfg.Height
	if w <= box.W && h <= box.H {
		return full, nil
	}
	dw, dh := box.W, h*box.W/w
	if dh > box.H {
		dw, dh = w*box.H/h, box.H
	}
	src, err := jpeg.Decode(bytes.NewReader(full))
	if err != nil {
		return nil, err
	}
	dst := image.NewRGBA(image.Rect(0, 0, max(dw, 1), max(dh, 1)))
	shrink(dst, src)
	var out bytes.Buffer
	if err := jpeg.Encode(&out, dst, &jpeg.Options{Quality: 80}); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// shrink fills dst with src averaged over the source area of each pixel.
func shrink(dst *image.RGBA, src image.Image) {
	sb, db := src.Bounds(), dst.Bounds()
	sw, sh, dw, dh := sb.Dx(), sb.Dy(), db.Dx(), db.Dy()
	for y := range dh {
		y0, y1 := sb.Min.Y+y*sh/dh, sb.Min.Y+max((y+1)*sh/dh, y*sh/dh+1)
		for x := range dw {
			x0, x1 := sb.Min.X+x*sw/dw, sb.Min.X+max((x+1)*sw/dw, x*sw/dw+1)
			var r, g, b, n uint64
			for sy := y0; sy < y1; sy++ {
				for sx := x0; sx < x1; sx++ {
					cr, cg, cb, _ := src.At(sx, sy).RGBA()
					r, g, b, n = r+uint64(cr), g+uint64(cg), b+uint64(cb), n+1
				}
			}
			dst.SetRGBA(x, y, color.RGBA{R: uint8(r / n >> 8), G: uint8(g / n >> 8), B: uint8(b / n >> 8), A: 0xff})
		}
	}
}
