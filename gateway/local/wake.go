package local

import (
	"context"
	"sync/atomic"
	"time"

	"streamhive/actors/stream"
	"streamhive/gateway/live"
	"streamhive/media/hls"
	"streamhive/media/hub"
	"streamhive/media/segment"
)

// wakePoll is how often a viewer's request waiting on a stream that is
// starting looks for its actor's playback side (the first one appears
// within milliseconds of the actor's start).
const wakePoll = 20 * time.Millisecond

// Viewers is the live.Locator of the playback handlers: a viewer's request
// to an on-demand stream that sleeps wakes it (server.Server.Wake), and
// the Stream it gets follows the stream's actor as it starts, so the
// handler's wait for the first segment covers the start. The Control API
// locates through Server, which wakes nothing: listing streams is no
// viewer.
type Viewers struct{ Server }

var (
	_ live.Locator = Viewers{}
	_ live.Frames  = (*localStream)(nil)
	_ live.Frames  = (*wakingStream)(nil)

	_ live.SourceFrames = (*localStream)(nil)
	_ live.SourceFrames = (*wakingStream)(nil)

	_ live.OpusAudio = (*localStream)(nil)
	_ live.OpusAudio = (*wakingStream)(nil)
)

// Locate implements live.Locator.
func (v Viewers) Locate(name string) (live.Location, bool) {
	pb, ok := v.Playback(name)
	if !ok {
		return live.Location{}, false
	}
	if pb != nil {
		return live.Location{Node: live.Local, Stream: &localStream{Playback: pb, srv: v.Server.Server, name: name}}, true
	}
	v.Wake(name)
	return live.Location{Node: live.Local, Stream: &wakingStream{localStream: localStream{srv: v.Server.Server, name: name}}}, true
}

// wakingStream is a stream whose actor is not running when it was
// located: it takes the playback side of the first actor that runs and
// keeps it (one lineage, as live.Stream's contract wants).
type wakingStream struct {
	localStream // its Playback stays nil
	pinned      atomic.Pointer[stream.Playback]
}

// playback returns the running actor's playback side once there is one.
func (s *wakingStream) playback() *stream.Playback {
	if pb := s.pinned.Load(); pb != nil {
		return pb
	}
	pb, _ := s.srv.Playback(s.name)
	if pb == nil {
		return nil
	}
	s.pinned.CompareAndSwap(nil, pb)
	return s.pinned.Load()
}

// await waits for the playback side until ctx ends.
func (s *wakingStream) await(ctx context.Context) (*stream.Playback, error) {
	t := time.NewTicker(wakePoll)
	defer t.Stop()
	for {
		if pb := s.playback(); pb != nil {
			return pb, nil
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-t.C:
		}
	}
}

// Window implements live.Stream.
func (s *wakingStream) Window() *segment.Window { return s.playback().Window() }

// Next implements live.Stream.
func (s *wakingStream) Next(ctx context.Context, w *segment.Window) (*segment.Window, error) {
	pb, err := s.await(ctx)
	if err != nil {
		return nil, err
	}
	return pb.Next(ctx, w)
}

// Wait implements live.Stream.
func (s *wakingStream) Wait(ctx context.Context, msn uint64, part int) error {
	pb, err := s.await(ctx)
	if err != nil {
		return err
	}
	return pb.Wait(ctx, msn, part)
}

// Media implements live.Stream.
func (s *wakingStream) Media(ctx context.Context, ref hls.Ref) ([]byte, error) {
	return s.playback().Media(ctx, ref)
}

// Enabled implements live.Stream.
func (s *wakingStream) Enabled(protocol string) bool { return s.playback().Enabled(protocol) }

// Frames implements live.Frames: it waits for the woken stream's actor.
func (s *wakingStream) Frames(ctx context.Context) (*hub.Consumer, error) {
	pb, err := s.await(ctx)
	if err != nil {
		return nil, err
	}
	return pb.SubscribeAll()
}

// WantOpus implements live.OpusAudio. It does not wait: a viewer asks
// for Opus once Frames has returned, when the woken actor runs; before
// that it is stream.ErrNotStarted.
func (s *wakingStream) WantOpus() (release func(), err error) { return s.playback().WantOpus() }

// SourceFrames implements live.SourceFrames: it waits for the woken
// stream's actor.
func (s *wakingStream) SourceFrames(ctx context.Context) (*hub.Consumer, error) {
	pb, err := s.await(ctx)
	if err != nil {
		return nil, err
	}
	return pb.Subscribe()
}
