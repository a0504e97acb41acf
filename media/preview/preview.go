// Package preview keeps a stream's latest video keyframe and the JPEG of
// it: the picture is made on the first request after a keyframe and served
// from the cache until the next one, so a stream nobody previews decodes
// nothing. While thumbnails are asked for (KeepThumbnails) it also keeps
// the last minute of keyframes for them (Thumbnail), made the same way: on
// demand, once per keyframe and size.
package preview

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"streamhive/media"
)

// ErrNoPicture is returned by Get while there is no video keyframe to
// show.
var ErrNoPicture = errors.New("stream: no picture yet")

// Encode turns a video keyframe of track into a JPEG.
type Encode func(track media.Track, keyframe *media.Frame) ([]byte, error)

// keyframe is the latest video keyframe and the track that describes it.
type keyframe struct {
	frame *media.Frame
	track media.Track
}

// jpegEntry is a keyframe's picture, or why it has none.
type jpegEntry struct {
	key  *keyframe
	jpeg []byte
	err  error
}

// Preview is one stream's picture cache. Safe for concurrent use.
type Preview struct {
	latest atomic.Pointer[keyframe]
	cached atomic.Pointer[jpegEntry]
	turn   chan struct{} // capacity 1: one decode at a time per stream
	encode Encode
	now    func() time.Time

	mu     sync.Mutex
	thumbs thumbs // the keyframes kept for thumbnails
	// keepThumbs says whether thumbs is kept: a minute of keyframes is
	// some 1.3 MB of a 4 Mbit/s stream, held for nothing by a stream
	// that serves no thumbnails. Guarded by mu.
	keepThumbs bool
}

// New returns an empty Preview that makes its pictures with encode.
func New(encode Encode) *Preview {
	return &Preview{turn: make(chan struct{}, 1), encode: encode, now: time.Now}
}

// Offer notes f if it is a keyframe of the first video track in tracks
// (the track list f was written under). The caller owns neither: both
// must stay unmodified.
func (p *Preview) Offer(tracks []media.Track, f *media.Frame) {
	if !f.Keyframe {
		return
	}
	for _, t := range tracks {
		if t.Codec.Kind() != media.KindVideo {
			continue
		}
		if t.ID == f.Track {
			k := &keyframe{frame: f, track: t}
			p.latest.Store(k)
			p.mu.Lock()
			if p.keepThumbs {
				p.thumbs.remember(k, p.now())
			}
			p.mu.Unlock()
		}
		return
	}
}

// KeepThumbnails starts or stops keeping keyframes for Thumbnail (off in
// a new Preview): the stream's owner turns it on while its thumbnails are
// served. Turning it on keeps the latest keyframe at once; turning it off
// forgets the kept keyframes and their pictures.
func (p *Preview) KeepThumbnails(on bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if on == p.keepThumbs {
		return
	}
	p.keepThumbs = on
	if !on {
		p.thumbs = thumbs{}
		return
	}
	if k := p.latest.Load(); k != nil {
		p.thumbs.remember(k, p.now())
	}
}

// Clear forgets the latest keyframe: the stream has no picture now. (A
// frame of the old publisher still on its way to Offer may set one again;
// it is the last picture that publisher sent.)
func (p *Preview) Clear() { p.latest.Store(nil) }

// Get returns the JPEG of the latest keyframe, decoding it if nobody has
// yet, or ErrNoPicture. Concurrent callers for one keyframe share one
// decode; ctx bounds the wait for another caller's decode, not a decode in
// progress. The bytes are shared: callers must not modify them.
func (p *Preview) Get(ctx context.Context) ([]byte, error) {
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
