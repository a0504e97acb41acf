// Package server starts and stops StreamHive's actor tree and is the
// actor system's face to the rest of the program: *Server has the method
// set of gateway/api.Control (the Control API's needs) plus Reload and
// Stop. It must not import gateway; cmd checks the match at compile time.
//
// The tree, by actor name (the packages under actors/ that implement
// them); every parent supervises its children:
//
//	server                      the root (root.go): restarts a crashed child with backoff
//	  streams                   supervisor and directory of all streams (streams)
//	    NAME#N                  one per enabled stream (stream)
//	      input-I#G.S           one per input while the failover policy wants it (input)
//	      push-N                one per enabled push target (push), and its session
//	      dvr...                the DVR writer, with a `dvr` line (dvr)
//	      transcoder...         with a `transcoder` line (transcoder), and its session
//	  config                    owns the configuration: reloads, API writes (configowner)
//	  sessions                  viewer sessions: one child per player (sessions)
//	    ID                      one per session: inactivity, re-authorization
//	  rtmp-N, srt-N, rtsp-N     one per configured listener (listener)
//	  rtmps-N, rtsps-N          one per configured TLS listener (listener)
//
// Outside the tree but owned by the Server: the DVR storage (dvr.Storage,
// the streams' archives, which outlive their stream actors). The HTTP
// gateway and WHIP publishing live in cmd and reach the tree through the
// Server's methods.
package server

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/actors/cluster"
	"streamhive/actors/config"
	"streamhive/actors/configowner"
	dvractor "streamhive/actors/dvr"
	"streamhive/actors/events"
	"streamhive/actors/kit"
	"streamhive/actors/monitor"
	"streamhive/actors/sessions"
	"streamhive/actors/stream"
	"streamhive/actors/streams"
	"streamhive/actors/vods"
	"streamhive/media/stats"
	"streamhive/supervision"
)

// Server is a running actor tree. Its methods are safe for concurrent use.
type Server struct {
	sys      *actor.ActorSystem
	root     *actor.PID
	streams  *actor.PID
	owner    *actor.PID
	rtmp     []*actor.PID // RTMP listener actors
	rtmpAddr []net.Addr   // where they listen
	srt      []*actor.PID // SRT listener actors (srt.go)
	srtAddr  []net.Addr   // where they listen
	rtsp     []*actor.PID // RTSP listener actors (rtsp.go)
	rtspAddr []net.Addr   // where they listen
	rtmps    []*actor.PID // RTMPS listener actors (tls.go)
	rtsps    []*actor.PID // RTSPS listener actors (tls.go)
	started  time.Time
	snapshot *atomic.Pointer[config.Server]
	dir      *atomic.Pointer[streams.Directory]
	dvr      *dvractor.Storage // the streams' archives (dvr.go)
	books    *books            // the auth.Book of the snapshot (policies.go)
	events   *events.Bus       // the event bus and its sinks
	monitor  *monitor.Monitor  // alerts and input histories (monitor.go)
	vods     *vods.Registry    // the VOD locations and opened files (vods.go)
	ready    atomic.Bool

	rtmpsAddr, rtspsAddr []net.Addr      // where the TLS listeners listen
	sessPID              *actor.PID      // the sessions supervisor
	sessions             *sessions.Table // viewer sessions: the gateway's Gate (sessions.go)
	placer               *cluster.Placer // places cluster_ingest streams; nil outside a cluster (placement.go)
	relays               sync.Map        // name -> cluster.Member: relays of other nodes' streams (placement.go)
	pulls                pulls           // other nodes' m4f pulls of streams here, as viewers (pulls.go)

	cluster *cluster.Node       // nil without peers (cluster.go)
	view    *nodeView           // the placer's view of cluster, set once it runs (cluster.go)
	sources *cluster.Sources    // the `source` lines' streams; nil without them (sources.go)
	load    func() cluster.Load // this node's load, for probe answers (cluster.go)

	stopOnce sync.Once
	stopErr  error
}

// RTMPAddrs returns the addresses the RTMP listeners listen on, in
// configuration order: with port 0 configured, the port the system chose.
func (s *Server) RTMPAddrs() []net.Addr { return s.rtmpAddr }

// Playback returns stream name's playback handle from the streams
// directory, lock-free: false when no such stream is configured. The
// handle may be nil (nothing to play yet); see streams.Directory.Playback.
func (s *Server) Playback(name string) (*stream.Playback, bool) {
	return s.dir.Load().Playback(name)
}

// Config returns the configuration in effect: an immutable snapshot that
// callers must not modify.
func (s *Server) Config() *config.Server { return s.snapshot.Load() }

// Stats returns the runtime stats of a running stream, read from its
// published snapshot without a message.
func (s *Server) Stats(name string) (stats.Stream, bool) {
	st, ok := s.dir.Load().Status(name)
	if !ok {
		return stats.Stream{}, false
	}
	out := st.Stats(time.Now())
	s.addDVRStats(name, &out)
	out.Clients = s.sessions.Clients(name)
	return out, true
}

// Apply applies one change: validated, persisted to the config file (when
// there is one), then in effect for the streams it touches. It returns
// after the streams supervisor has applied it, or when ctx's deadline
// passes. An error wrapping config.ErrInvalid or config.ErrNotFound means
// the change was rejected and nothing changed.
func (s *Server) Apply(ctx context.Context, c config.Change) error {
	rep, err := kit.Ask[*configowner.ApplyReply](ctx, s.sys.Root, s.owner, &configowner.Apply{Change: c})
	if err != nil {
		return fmt.Errorf("server: apply: %w", err)
	}
	return rep.Err
}

// StopStream stops a stream's actors and starts the stream again in a
// fresh actor (see streams.StopStream). An unknown or disabled stream is an
// error wrapping config.ErrNotFound.
func (s *Server) StopStream(ctx context.Context, name string) error {
	rep, err := kit.Ask[*streams.StopStreamReply](ctx, s.sys.Root, s.streams, &streams.StopStream{Name: name})
	if err != nil {
		return fmt.Errorf("server: stop stream: %w", err)
	}
	return rep.Err
}

// SelectInput pins input index of running stream name by hand (the
// stream's failover policy; it takes over at its next keyframe).
func (s *Server) SelectInput(ctx context.Context, name string, index int) error {
	st, ok := s.dir.Load().Status(name)
	if !ok || st.PID == nil {
		return fmt.Errorf("stream %q: %w", name, config.ErrNotFound)
	}
	rep, err := kit.Ask[*stream.SelectInputReply](ctx, s.sys.Root, st.PID, &stream.SelectInput{Index: index})
	switch {
	case err != nil:
		return fmt.Errorf("server: select input: %w", err)
	case errors.Is(rep.Err, supervision.ErrNoInput):
		// The gateway knows config's sentinels, not supervision's.
		return fmt.Errorf("%w: %w", config.ErrNoInput, rep.Err)
	case rep.Err != nil:
		return fmt.Errorf("%w: %w", config.ErrInvalid, rep.Err)
	}
	return nil
}

// Reload re-reads the config file (SIGHUP) and applies what changed. A
// file that does not parse or validate changes nothing; its error (with
// file positions) is returned. Without a config file it returns
// configowner.ErrNoFile.
func (s *Server) Reload(ctx context.Context) error {
	rep, err := kit.Ask[*configowner.ReloadReply](ctx, s.sys.Root, s.owner, &configowner.Reload{})
	if err != nil {
		return fmt.Errorf("server: reload: %w", err)
	}
	if rep.Err == nil {
		s.syncCluster()
	}
	return rep.Err
}

// Started returns when the server started.
func (s *Server) Started() time.Time { return s.started }

// Ready reports whether the server has applied its configuration and is
// not stopping. Listeners are the caller's: cmd combines them.
func (s *Server) Ready() bool { return s.ready.Load() }

// DynamicStreams returns the streams templates created for their
// publishers (see streams.Directory.Dynamic).
func (s *Server) DynamicStreams() *[]config.Stream { return s.dir.Load().Dynamic() }
