package stream

import (
	"context"
	"time"

	"streamhive/actors/config"
	"streamhive/actors/keys"
	"streamhive/actors/transcoder"
	"streamhive/media/dvr"
	"streamhive/media/hls"
	"streamhive/media/hub"
	"streamhive/media/preview"
	"streamhive/media/segment"
)

// Playback is one stream's playback side, as the gateway's play handler
// needs it: the window of the stream's segmenter (and waits on it), its
// hub, its preview and which outputs its `protocols` directive allows. It
// is immutable and safe for concurrent use; no method messages an actor.
// It is the playback half of the gateway's live.Stream (gateway/local adds
// status and control) and keeps that interface's contract: one Playback
// serves one segmenter, so one lineage of windows. The stream actor
// publishes it in its Status (a new one when the protocols change) and the
// streams Directory hands it out lock-free.
//
// A nil *Playback is valid: a configured stream whose actor has not
// started yet, or was given up on. It has no segmenter and no picture, and
// allows every output.
type Playback struct {
	hub       *hub.Hub
	seg       *segment.Segmenter
	preview   *preview.Preview
	opus      *transcoder.OpusDemand // the viewers of its Opus rendition (opus.go)
	protocols *config.Protocols      // from an immutable config snapshot; nil: all on
	archive   dvr.Archive            // the stream's recording; nil when none (dvr.go)
	// thumbnails: the `thumbnails` directive, from the same snapshot; nil:
	// the stream has none.
	thumbnails *config.Thumbnails
	keys       *keys.Handle // a protected stream's keys (keys.go); nil: not protected
}

// Segmenter returns the stream's segmenter: the same one for the life of
// the stream actor, across input failovers and input restarts. Nil for a
// nil Playback. The gateway does not use it (Window, Next, Wait and Media
// are its view); tests of the actors do.
func (p *Playback) Segmenter() *segment.Segmenter {
	if p == nil {
		return nil
	}
	return p.seg
}

// Window returns the segmenter's latest window; nil for a nil Playback.
func (p *Playback) Window() *segment.Window {
	if p == nil || p.seg == nil {
		return nil
	}
	return p.seg.Window()
}

// Next returns the latest window once it is not w (segment.Segmenter.Next).
// A nil Playback never has one: it waits for ctx.
func (p *Playback) Next(ctx context.Context, w *segment.Window) (*segment.Window, error) {
	if p == nil || p.seg == nil {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	return p.seg.Next(ctx, w)
}

// Wait blocks until the window holds segment msn (part < 0) or part `part`
// of it (segment.Segmenter.Wait, with its errors). A nil Playback waits
// for ctx.
func (p *Playback) Wait(ctx context.Context, msn uint64, part int) error {
	if p == nil || p.seg == nil {
		<-ctx.Done()
		return ctx.Err()
	}
	return p.seg.Wait(ctx, msn, part)
}

// Media returns the bytes ref names in the latest window, read-only; nil
// when the window lacks them. It never fails: the error is for a remote
// stream's fetch.
func (p *Playback) Media(_ context.Context, ref hls.Ref) ([]byte, error) {
	w := p.Window()
	if w == nil {
		return nil, nil
	}
	return ref.In(w), nil
}

// Enabled reports whether the stream's `protocols` directive allows
// output protocol ("hls", "dash", "tshttp", "jpeg", ...). Outputs are on
// unless the directive turns them off.
func (p *Playback) Enabled(protocol string) bool {
	if p == nil {
		return true
	}
	return p.protocols.Enabled(protocol)
}

// Subscribe adds a real-time consumer of the stream's frames (it starts at
// the latest keyframe). The caller must Close it. A consumer of a stream
// that has stopped is closed already: its Read returns hub.ErrClosed.
func (p *Playback) Subscribe() (*hub.Consumer, error) {
	if p == nil {
		return nil, ErrNotStarted
	}
	return p.hub.Subscribe(), nil
}

// Preview returns the stream's latest video keyframe as a JPEG, or an
// error wrapping ErrNoPicture while there is none. The first request after
// a keyframe decodes it (about a millisecond at 640x360); later ones get
// the cached bytes, which callers must not modify. ctx bounds the wait
// for a decode that another request started.
func (p *Playback) Preview(ctx context.Context) ([]byte, error) {
	if p == nil {
		return nil, ErrNoPicture
	}
	return p.preview.Get(ctx)
}

// ThumbnailBoxes reports whether the stream's `thumbnails` directive
// serves thumbnails (configured and not enabled=false) and the boxes its
// image tracks announce (its sizes). A nil Playback has none.
func (p *Playback) ThumbnailBoxes() (on bool, boxes []preview.Box) {
	if p == nil || !p.thumbnails.On() {
		return false, nil
	}
	for _, s := range p.thumbnails.Sizes {
		boxes = append(boxes, preview.Box{W: s.Width, H: s.Height})
	}
	return true, boxes
}

// Thumbnail returns a JPEG of the recent video keyframe nearest at, fitted
// into w×h (media/preview: one decode per keyframe, cached), or an error
// wrapping ErrNoPicture while there is none.
func (p *Playback) Thumbnail(ctx context.Context, at time.Time, w, h int) ([]byte, error) {
	if p == nil {
		return nil, ErrNoPicture
	}
	return p.preview.Thumbnail(ctx, at, preview.Box{W: w, H: h})
}
