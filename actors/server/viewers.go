package server

import (
	"context"
	"fmt"
	"slices"
	"time"

	"streamhive/actors/listener"
	"streamhive/actors/sessions"
	"streamhive/actors/stream"
	"streamhive/media/hub"
)

// wakePoll is how often a play connection waiting on a stream that is
// starting looks for its actor's playback side.
const wakePoll = 20 * time.Millisecond

// viewers is the listeners' listener.Viewers: the sessions table admits,
// the streams directory finds the stream's hub.
type viewers struct {
	sessions.Gate
	s *Server
}

var _ listener.Viewers = viewers{}

// Viewers returns what the play outputs of the listeners go through.
func (s *Server) Viewers() listener.Viewers { return viewers{Gate: s.sessions, s: s} }

// Subscribe implements listener.Viewers.
func (v viewers) Subscribe(ctx context.Context, name, proto string) (*hub.Consumer, error) {
	pb, err := v.playback(ctx, name, proto)
	if err != nil {
		return nil, err
	}
	return pb.Subscribe()
}

// Parts implements listener.Viewers: the stream's Playback is its
// segmenter's view.
func (v viewers) Parts(ctx context.Context, name, proto string) (listener.TSParts, error) {
	pb, err := v.playback(ctx, name, proto)
	if err != nil {
		return nil, err
	}
	if pb.Segmenter() == nil {
		return nil, fmt.Errorf("%w: %q", listener.ErrStreamDown, name)
	}
	return pb, nil
}

// playback finds stream name's Playback, waking an on-demand stream and
// waiting for it (bounded by ctx), and checks that it serves proto.
func (v viewers) playback(ctx context.Context, name, proto string) (*stream.Playback, error) {
	pb, ok := v.s.Playback(name)
	if !ok {
		return nil, fmt.Errorf("%w: %q", listener.ErrNoStream, name)
	}
	if pb == nil {
		v.s.Wake(name)
	}
	t := time.NewTicker(wakePoll)
	defer t.Stop()
	for pb == nil {
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("%w: %q: %w", listener.ErrStreamDown, name, ctx.Err())
		case <-t.C:
		}
		if pb, ok = v.s.Playback(name); !ok {
			return nil, fmt.Errorf("%w: %q", listener.ErrNoStream, name)
		}
	}
	if !pb.Enabled(proto) {
		return nil, fmt.Errorf("%w: %q over %s", listener.ErrProtocolOff, name, proto)
	}
	// A protected stream's frames go out only encrypted: these outputs
	// cannot be, so they are refused unless its drm line lets them out.
	if _, protected := pb.KeySource(); protected && !slices.Contains(pb.ClearOutputs(), proto) {
		return nil, fmt.Errorf("%w: %q is protected: %s cannot be encrypted", listener.ErrProtocolOff, name, proto)
	}
	return pb, nil
}
