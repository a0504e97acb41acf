package apitest

import (
	"context"

	"streamhive/actors/config"
	"streamhive/gateway/live"
	"streamhive/media/hls"
	"streamhive/media/segment"
	"streamhive/media/stats"
)

var _ live.Stream = (*Stream)(nil)

// Stream is a stream the fake Control located: its stats are what SetStats
// stored, Stop and SelectInput act on the fake. It plays nothing: no
// window, no media, no picture (the playback side has its own fakes in
// gateway/play's tests).
type Stream struct {
	c    *Control
	name string
}

// Window returns nil: the fake stream never produces.
func (s *Stream) Window() *segment.Window { return nil }

// Next waits for ctx.
func (s *Stream) Next(ctx context.Context, _ *segment.Window) (*segment.Window, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}

// Wait waits for ctx.
func (s *Stream) Wait(ctx context.Context, _ uint64, _ int) error {
	<-ctx.Done()
	return ctx.Err()
}

// Media returns nothing.
func (s *Stream) Media(context.Context, hls.Ref) ([]byte, error) { return nil, nil }

// Enabled reports true: every output is on.
func (s *Stream) Enabled(string) bool { return true }

// Preview fails: there is no picture.
func (s *Stream) Preview(context.Context) ([]byte, error) { return nil, live.ErrNotProducing }

// Stats returns what SetStats stored for the stream.
func (s *Stream) Stats() (stats.Stream, bool) {
	s.c.mu.Lock()
	defer s.c.mu.Unlock()
	st, ok := s.c.stats[s.name]
	if !ok || st == nil {
		return stats.Stream{}, false
	}
	return *st, true
}

// Stop records the stream's name (Stopped); it fails with what Fail set,
// or config.ErrNotFound when the stream is no longer configured.
func (s *Stream) Stop(ctx context.Context) error {
	c := s.c
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.fail != nil {
		return c.fail
	}
	if _, ok := c.cfg.Load().Stream(s.name); !ok {
		return config.ErrNotFound
	}
	c.stopped = append(c.stopped, s.name)
	return ctx.Err()
}

// SelectInput checks that the stream is configured and has input index
// (config.ErrNotFound, config.ErrNoInput); it selects nothing.
func (s *Stream) SelectInput(_ context.Context, index int) error {
	st, ok := s.c.cfg.Load().Stream(s.name)
	switch {
	case !ok:
		return config.ErrNotFound
	case index < 0 || index >= len(st.Inputs):
		return config.ErrNoInput
	}
	return nil
}
