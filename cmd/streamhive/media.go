package main

import (
	"context"
	"errors"
	"fmt"

	"streamhive/actors/server"
	"streamhive/actors/stream"
	"streamhive/gateway/play"
)

// playStreams adapts the actor server's streams directory to play.Streams:
// a lookup is a lock-free read of the directory's snapshot.
type playStreams struct{ srv *server.Server }

var _ play.Streams = playStreams{}

// Lookup implements play.Streams.
func (p playStreams) Lookup(name string) (play.Stream, bool) {
	pb, ok := p.srv.Playback(name)
	if !ok {
		return nil, false
	}
	return playStream{pb}, true
}

// playStream is a stream.Playback as a play.Stream. (One pointer: putting
// it in the interface does not allocate.)
type playStream struct{ *stream.Playback }

// Preview implements play.Stream: "no picture yet" becomes the handler's
// play.ErrNotProducing (503 with Retry-After).
func (s playStream) Preview(ctx context.Context) ([]byte, error) {
	b, err := s.Playback.Preview(ctx)
	if errors.Is(err, stream.ErrNoPicture) {
		return nil, fmt.Errorf("%w: %w", play.ErrNotProducing, err)
	}
	return b, err
}

// playHandler returns the playback endpoints' handler for srv's streams.
// Close it before shutting the HTTP server down.
func playHandler(srv *server.Server, opts play.Options) *play.Handler {
	opts.Streams = playStreams{srv}
	return play.New(opts)
}
