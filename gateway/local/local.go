// Package local is the gateway's view of the actor server on this node: a
// live.Locator that answers "here" for every stream, handing out each
// stream's live.Stream, and the api.Control the Control API needs.
package local

import (
	"context"
	"errors"
	"fmt"
	"time"

	"streamhive/actors/server"
	"streamhive/actors/stream"
	"streamhive/gateway/api"
	"streamhive/gateway/live"
	"streamhive/media/drm"
	"streamhive/media/hub"
	"streamhive/media/stats"
)

// Server is the actor server as the gateway sees it: api.Control (its
// Locate finds every configured stream on this node) and the live.Locator
// of the playback handlers. Safe for concurrent use.
type Server struct{ *server.Server }

var (
	_ api.Control  = Server{}
	_ live.Locator = Server{}
	_ live.Stream  = (*localStream)(nil)
	_ live.Keys    = (*localStream)(nil)
)

// Locate implements live.Locator: a lock-free read of the streams
// directory's snapshot. Every stream is Local.
func (s Server) Locate(name string) (live.Location, bool) {
	pb, ok := s.Playback(name)
	if !ok {
		return live.Location{}, false
	}
	return live.Location{Node: live.Local, Stream: &localStream{Playback: pb, srv: s.Server, name: name}}, true
}

// localStream is a stream of this node's actor server as a live.Stream: the
// playback side is the stream's *stream.Playback (one segmenter, one
// lineage: a restarted stream has a new Playback, found by a new Locate);
// status and control go to the server by the stream's name.
type localStream struct {
	*stream.Playback // nil while the stream's actor is not running
	srv              *server.Server
	name             string
}

// Preview implements live.Stream: "no picture yet" becomes
// live.ErrNotProducing (503 with Retry-After).
func (s *localStream) Preview(ctx context.Context) ([]byte, error) {
	b, err := s.Playback.Preview(ctx)
	if errors.Is(err, stream.ErrNoPicture) {
		return nil, fmt.Errorf("%w: %w", live.ErrNotProducing, err)
	}
	return b, err
}

// Thumbnail implements live.Thumbnails, like Preview.
func (s *localStream) Thumbnail(ctx context.Context, at time.Time, w, h int) ([]byte, error) {
	b, err := s.Playback.Thumbnail(ctx, at, w, h)
	if errors.Is(err, stream.ErrNoPicture) {
		return nil, fmt.Errorf("%w: %w", live.ErrNotProducing, err)
	}
	return b, err
}

// KeySource implements live.Keys through the server, so that a protected
// stream asleep (no Playback yet) still answers protected, failing closed.
func (s *localStream) KeySource() (drm.KeySource, bool) { return s.srv.KeySource(s.name) }

// Stats implements live.Stream.
func (s *localStream) Stats() (stats.Stream, bool) { return s.srv.Stats(s.name) }

// SelectInput implements live.Stream.
func (s *localStream) SelectInput(ctx context.Context, index int) error {
	return s.srv.SelectInput(ctx, s.name, index)
}

// Stop implements live.Stream.
func (s *localStream) Stop(ctx context.Context) error { return s.srv.StopStream(ctx, s.name) }

// Frames implements live.Frames: the consumer sees the stream's derived
// tracks too (the Opus rendition WantOpus asks for).
func (s *localStream) Frames(context.Context) (*hub.Consumer, error) {
	return s.SubscribeAll()
}

// SourceFrames implements live.SourceFrames.
func (s *localStream) SourceFrames(context.Context) (*hub.Consumer, error) {
	return s.Subscribe()
}
