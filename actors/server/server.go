// Package server starts and stops StreamHive's actor tree and is the
// actor system's face to the rest of the program: *Server has the method
// set of gateway/api.Control (the Control API's needs) plus Reload and
// Stop. It must not import gateway; cmd checks the match at compile time.
//
// The tree: server -> {streams -> stream -> input, config, rtmp-N}.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/actors/config"
	"streamhive/actors/configowner"
	dvractor "streamhive/actors/dvr"
	"streamhive/actors/input"
	"streamhive/actors/kit"
	"streamhive/actors/listener"
	"streamhive/actors/stream"
	"streamhive/actors/streams"
	"streamhive/media/stats"
	"streamhive/supervision"
)

// startTimeout bounds Start's wait for the tree to come up.
const startTimeout = 10 * time.Second

// Options configure Start.
type Options struct {
	// ConfigPath is the config file. Empty means the embedded default
	// configuration (config.Default()); API writes then live in memory
	// only.
	ConfigPath string
	// Logger receives the actor system's logs. Nil means slog.Default().
	Logger *slog.Logger
	// Pullers are the input pullers by URL scheme, added to
	// input.Builtin() (publish://); they win on a clash.
	Pullers input.Pullers
	// Listen opens the protocol listeners' ports (the configuration's
	// `rtmp PORT;`). Nil means net.Listen; tests pass in-memory
	// listeners. Port 0 picks a free port: see RTMPAddrs.
	Listen func(network, address string) (net.Listener, error)
	// NoSRT leaves the configuration's SRT listeners closed. gosrt
	// opens real UDP sockets that Listen cannot substitute, and a
	// synctest bubble cannot wait on those; SRT tests use real time and
	// port 0 instead (see SRTAddrs).
	NoSRT bool
}

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
	started  time.Time
	snapshot *atomic.Pointer[config.Server]
	dir      *atomic.Pointer[streams.Directory]
	dvr      *dvractor.Storage // the streams' archives (dvr.go)
	ready    atomic.Bool

	stopOnce sync.Once
	stopErr  error
}

// Start loads the configuration (ConfigPath, or the embedded default),
// starts the actor tree and returns once every enabled stream has been
// started. A configuration that does not parse or validate is an error
// wrapping config.ErrInvalid, with file positions.
func Start(opts Options) (*Server, error) {
	cfg, err := load(opts.ConfigPath)
	if err != nil {
		return nil, err
	}
	s := &Server{
		sys:      kit.NewSystem(opts.Logger),
		started:  time.Now(),
		snapshot: new(atomic.Pointer[config.Server]),
		dir:      new(atomic.Pointer[streams.Directory]),
	}
	s.snapshot.Store(cfg)
	s.dir.Store(&streams.Directory{})
	s.dvr = dvractor.New(dvractor.Options{Current: s.snapshot.Load, Logger: opts.Logger})

	root, err := s.sys.Root.SpawnNamed(rootProps(rootConfig{
		path:      opts.ConfigPath,
		pullers:   input.Builtin().With(opts.Pullers),
		snapshot:  s.snapshot,
		directory: s.dir,
		rtmp:      rtmpListeners(cfg),
		srt:       srtListeners(cfg, opts.NoSRT),
		rtsp:      rtspListeners(cfg),
		listen:    opts.Listen,
		dvr:       s.dvr,
	}), "server")
	if err != nil {
		s.sys.Shutdown()
		s.dvr.Close()
		return nil, fmt.Errorf("server: %w", err)
	}
	s.root = root
	if err := s.awaitTree(); err != nil {
		_ = s.Stop(context.Background())
		return nil, err
	}
	s.ready.Store(true)
	return s, nil
}

func load(path string) (*config.Server, error) {
	if path == "" {
		return config.Default(), nil
	}
	return config.Load(path)
}

func rtmpListeners(cfg *config.Server) []config.Listen {
	if cfg.Listeners == nil {
		return nil
	}
	return cfg.Listeners.RTMP
}

// awaitTree learns the children's PIDs, waits until the streams
// supervisor has started the configured streams (an empty Apply is
// answered after its Started, which spawns them) and learns where the
// listeners listen. A listener that could not open its port fails Start.
func (s *Server) awaitTree() error {
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	children, err := kit.Ask[*childrenReply](ctx, s.sys.Root, s.root, &getChildren{})
	if err == nil {
		err = children.err
	}
	if err != nil {
		return fmt.Errorf("server: starting the actor tree: %w", err)
	}
	s.streams, s.owner, s.rtmp = children.streams, children.owner, children.listeners
	rep, err := kit.Ask[*streams.ApplyReply](ctx, s.sys.Root, s.streams, &streams.Apply{Config: s.snapshot.Load()})
	if err == nil {
		err = rep.Err
	}
	if err != nil {
		return fmt.Errorf("server: starting streams: %w", err)
	}
	for _, pid := range s.rtmp {
		rep, err := kit.Ask[*listener.GetAddrReply](ctx, s.sys.Root, pid, &listener.GetAddr{})
		if err == nil {
			err = rep.Err
		}
		if err != nil {
			return fmt.Errorf("server: %w", err)
		}
		s.rtmpAddr = append(s.rtmpAddr, rep.Addr)
	}
	s.srt = children.srt
	if s.srtAddr, err = s.listenerAddrs(ctx, s.srt); err != nil {
		return err
	}
	s.rtsp = children.rtsp
	if s.rtspAddr, err = s.listenerAddrs(ctx, s.rtsp); err != nil {
		return err
	}
	return nil
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
func (s *Server) Stats(name string) (*stats.Stream, bool) {
	st, ok := s.dir.Load().Status(name)
	if !ok {
		return nil, false
	}
	out := st.Stats(time.Now())
	s.addDVRStats(name, out)
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
	return rep.Err
}

// Started returns when the server started.
func (s *Server) Started() time.Time { return s.started }

// Ready reports whether the server has applied its configuration and is
// not stopping. Listeners are the caller's: cmd combines them.
func (s *Server) Ready() bool { return s.ready.Load() }

// Stop shuts the tree down in order, within ctx's deadline: the listeners
// first (no new publishers; connections close), then the streams (every
// stream and input stops; pulls are cancelled), then the config owner,
// then the root, then the actor system. Calling it again
// returns the first call's result.
func (s *Server) Stop(ctx context.Context) error {
	s.stopOnce.Do(func() {
		s.ready.Store(false)
		var errs []error
		order := append(append(append(append([]*actor.PID(nil), s.rtmp...), s.srt...), s.rtsp...), s.streams, s.owner, s.root)
		for _, pid := range order {
			if pid != nil {
				errs = append(errs, stopAndWait(ctx, s.sys.Root, pid))
			}
		}
		s.sys.Shutdown()
		s.dvr.Close()
		s.stopErr = errors.Join(errs...)
	})
	return s.stopErr
}

// stopAndWait stops pid and waits until it and its children are gone, or
// ctx is done.
func stopAndWait(ctx context.Context, root *actor.RootContext, pid *actor.PID) error {
	f := root.StopFuture(pid)
	done := make(chan error, 1)
	go func() { done <- f.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			return fmt.Errorf("server: stopping %s: %w", pid.Id, err)
		}
		return nil
	case <-ctx.Done():
		return fmt.Errorf("server: stopping %s: %w", pid.Id, ctx.Err())
	}
}
