package stream

import (
	"context"
	"sync/atomic"

	"streamhive/media"
)

// keyframe is the latest video keyframe and the track that describes it.
type keyframe struct {
	frame *media.Frame
	track media.Track
}

// jpegEntry is a keyframe's preview, or why it has none.
type jpegEntry struct {
	key  *keyframe
	jpeg []byte
	err  error
}

// preview keeps the stream's latest keyframe (set by the packager) and the
// JPEG of it, made on the first request and served from the cache until
// the next keyframe. Safe for concurrent use.
type preview struct {
	latest atomic.Pointer[keyframe]
	cached atomic.Pointer[jpegEntry]
	turn   chan struct{} // capacity 1: one decode at a time per stream
	encode func(media.Track, *media.Frame) ([]byte, error)
}

func newPreview(encode func(media.Track, *media.Frame) ([]byte, error)) *preview {
	return &preview{turn: make(chan struct{}, 1), encode: encode}
}

// offer notes f if it is a keyframe of the stream's first video track.
func (p *preview) offer(tracks []media.Track, f *media.Frame) {
	for _, t := range tracks {
		if t.Codec.Kind() != media.KindVideo {
			continue
		}
		if t.ID == f.Track {
			p.latest.Store(&keyframe{frame: f, track: t})
		}
		return
	}
}

// clear forgets the latest keyframe: the stream has no picture now. (A
// frame of the old publisher still in the packager's queue may set one
// again; it is the last picture that publisher sent.)
func (p *preview) clear() { p.latest.Store(nil) }

// get returns the JPEG of the latest keyframe, decoding it if nobody has
// yet. Concurrent callers for one keyframe share one decode; ctx bounds
// the wait for another caller's decode, not a decode in progress.
func (p *preview) get(ctx context.Context) ([]byte, error) {
	k := p.latest.Load()
	if k == nil {
		return nil, ErrNoPicture
	}
	if c := p.cached.Load(); c != nil && c.key == k {
		return c.jpeg, c.err
	}
	select {
	case p.turn <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-p.turn }()
	if c := p.cached.Load(); c != nil && c.key == k {
		return c.jpeg, c.err // decoded while we waited
	}
	jpeg, err := p.encode(k.track, k.frame)
	p.cached.Store(&jpegEntry{key: k, jpeg: jpeg, err: err})
	return jpeg, err
}
