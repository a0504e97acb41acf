package server

import (
	"context"
	"fmt"
	"sync/atomic"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/actors/config"
	"streamhive/actors/kit"
	"streamhive/actors/listener"
	"streamhive/actors/stream"
	"streamhive/actors/streams"
)

// dynamicStreams is the listeners' listener.Dynamic: the streams templates
// admit publishers to, created by the streams supervisor.
type dynamicStreams struct {
	root    *actor.RootContext
	streams *actor.PID
	current func() *config.Server
	dir     *atomic.Pointer[streams.Directory]
}

var _ listener.Dynamic = dynamicStreams{}

// Admits implements listener.Dynamic.
func (d dynamicStreams) Admits(name string) bool {
	_, ok := d.current().Dynamic(name)
	return ok
}

// Open implements listener.Dynamic.
func (d dynamicStreams) Open(ctx context.Context, name string) (*stream.Status, error) {
	return openStream(ctx, d.root, d.streams, d.dir, &streams.Open{Name: name, Publish: true})
}

func openStream(ctx context.Context, root *actor.RootContext, pid *actor.PID, dir *atomic.Pointer[streams.Directory],
	m *streams.Open,
) (*stream.Status, error) {
	rep, err := kit.Ask[*streams.OpenReply](ctx, root, pid, m)
	if err == nil {
		err = rep.Err
	}
	if err != nil {
		return nil, fmt.Errorf("server: open %q: %w", m.Name, err)
	}
	st, ok := dir.Load().Status(m.Name)
	if !ok || st.PID == nil {
		return nil, fmt.Errorf("server: open %q: %w", m.Name, streams.ErrNotRunning)
	}
	return st, nil
}

// dynamic is the Server's listener.Dynamic (WHIP publishers come through
// cmd, not a listener actor).
func (s *Server) dynamic() dynamicStreams {
	return dynamicStreams{root: s.sys.Root, streams: s.streams, current: s.snapshot.Load, dir: s.dir}
}

// Wake starts on-demand stream name if it sleeps (its first viewer came),
// without waiting: the playback handler waits for its first segment. A
// stream that runs, or is not on demand, is left as it is.
func (s *Server) Wake(name string) {
	if st, ok := s.dir.Load().Status(name); ok && st.PID == nil && st.State == stream.StateStopped {
		s.sys.Root.Send(s.streams, &streams.Open{Name: name})
	}
}
