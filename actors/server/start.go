package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync/atomic"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/actors/certs"
	"streamhive/actors/cluster"
	"streamhive/actors/config"
	dvractor "streamhive/actors/dvr"
	"streamhive/actors/events"
	"streamhive/actors/input"
	"streamhive/actors/kit"
	"streamhive/actors/listener"
	"streamhive/actors/monitor"
	"streamhive/actors/sessions"
	"streamhive/actors/streams"
	"streamhive/actors/vods"
	"streamhive/media/dvr"
)

// startTimeout bounds Start's wait for the tree to come up.
const startTimeout = 10 * time.Second

// Options configure Start.
type Options struct {
	// ConfigPath is the config file: Reload reads it and API writes are
	// persisted to it. Empty means none: API writes then live in memory
	// only.
	ConfigPath string
	// Config is the configuration to start with, parsed and validated
	// (config.Load); the caller must not modify it. Nil means Start loads
	// ConfigPath, or takes the embedded default (config.Default()) when
	// ConfigPath is empty.
	Config *config.Server
	// Logger receives the actor system's logs. Nil means slog.Default().
	Logger *slog.Logger
	// Pullers are the input pullers by URL scheme, added to
	// input.Builtin() (publish://); they win on a clash.
	Pullers input.Pullers
	// Listen opens the protocol listeners' ports (the configuration's
	// `rtmp PORT;`). Nil means net.Listen; tests pass in-memory
	// listeners. Port 0 picks a free port: see RTMPAddrs.
	Listen func(network, address string) (net.Listener, error)
	// Certs holds the TLS listeners' certificates (rtmps, rtsps). Nil
	// means a certs.Book over ConfigPath's directory. cmd passes the Book
	// its https listeners use, so that one Reload renews them all.
	Certs *certs.Book
	// NoSRT leaves the configuration's SRT listeners closed. gosrt
	// opens real UDP sockets that Listen cannot substitute, and a
	// synctest bubble cannot wait on those; SRT tests use real time and
	// port 0 instead (see SRTAddrs).
	NoSRT bool
	// Idle is how long an on-demand stream runs without viewers and a
	// template's stream without its publisher; zero fields: the defaults.
	Idle streams.Idle
	// DVRCluster merges a `cluster_ingest` stream's recordings across
	// the cluster (clusterdvr.Archives.Archive); nil: archives are local.
	DVRCluster func(stream string, local dvr.Archive) dvr.Archive
	// HTTPAddr is where the HTTP port (the https one in a cluster over
	// TLS) listens: the cluster advertises it as this node's API, its
	// remote port listens on its host. Nil: 127.0.0.1 and no API URL.
	HTTPAddr net.Addr
	// Host reads the machine's CPU share (0..1) and network output
	// (kbit/s) for the load the cluster reports (cmd passes
	// gateway/metrics' /proc readers); nil: zero.
	Host func() (cpu float64, outKbit int64)
	// Cluster replaces the view of the node's own cluster (the `peer`
	// lines') that places cluster_ingest streams: tests place with a fake.
	Cluster cluster.SettledView
}

// Start starts the actor tree on opts.Config (or the configuration it
// loads) and returns once every enabled stream has been started. A
// configuration that does not parse or validate, or whose protection
// cannot be built (auth.NewBook, a drm line's delivery identity), is an error wrapping config.ErrInvalid,
// with file positions.
func Start(opts Options) (*Server, error) {
	cfg := opts.Config
	if cfg == nil {
		var err error
		if cfg, err = Load(opts.ConfigPath); err != nil {
			return nil, err
		}
	}
	snapshot := new(atomic.Pointer[config.Server])
	books := newBooks(snapshot)
	check := checkWith(books)
	if err := check(cfg); err != nil {
		return nil, fmt.Errorf("server: %w", err)
	}
	rtmps, rtsps, err := tlsListeners(cfg, certBook(opts))
	if err != nil {
		return nil, err
	}
	s := &Server{
		sys:      kit.NewSystem(opts.Logger),
		started:  time.Now(),
		snapshot: snapshot,
		dir:      new(atomic.Pointer[streams.Directory]),
		books:    books,
	}
	s.snapshot.Store(cfg)
	s.vods = vods.New(s.snapshot.Load)
	s.dir.Store(&streams.Directory{})
	s.events = events.New(events.Options{Log: opts.Logger})
	s.events.Configure(cfg.EventSinks)
	s.dvr = dvractor.New(dvractor.Options{Current: s.snapshot.Load, Logger: opts.Logger, Cluster: opts.DVRCluster, Events: s.events})
	s.placer = newPlacer(s.placementView(cfg, opts), s, opts.Logger)
	s.sessions = sessions.New(sessions.Options{
		Policies: livePolicies{s}, Config: s.snapshot.Load, Country: s.country, Logger: opts.Logger, Events: s.events,
	})

	root, err := s.sys.Root.SpawnNamed(rootProps(rootConfig{
		path:      opts.ConfigPath,
		pullers:   input.Builtin().With(s.vodPuller()).With(opts.Pullers),
		snapshot:  s.snapshot,
		directory: s.dir,
		rtmp:      rtmpListeners(cfg),
		srt:       srtListeners(cfg, opts.NoSRT, s.Viewers()),
		rtsp:      rtspListeners(cfg),
		rtmps:     rtmps,
		rtsps:     rtsps,
		listen:    opts.Listen,
		dvr:       s.dvr,
		check:     check,
		policies:  livePolicies{s},
		sessions:  s.sessions,
		audience:  s.viewers,
		viewers:   s.Viewers(),
		idle:      opts.Idle,
		place:     s.place,
		events:    s.events,
	}), "server")
	if err != nil {
		if s.cluster != nil {
			s.cluster.Stop() // shuts the actor system down too
		} else {
			s.sys.Shutdown()
		}
		s.dvr.Close()
		s.sessions.Close()
		s.events.Close()
		return nil, fmt.Errorf("server: %w", err)
	}
	s.root = root
	if err := s.awaitTree(); err != nil {
		_ = s.Stop(context.Background())
		return nil, err
	}
	s.monitor = monitor.Start(monitor.Options{Sample: s.sampler(), Events: s.events})
	if err := s.startCluster(cfg, opts); err != nil {
		_ = s.Stop(context.Background())
		return nil, err
	}
	s.ready.Store(true)
	s.startPlacement()
	return s, nil
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
	s.sessPID = children.sessions
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
	s.rtmps, s.rtsps = children.rtmps, children.rtsps
	if s.rtmpsAddr, err = s.listenerAddrs(ctx, s.rtmps); err != nil {
		return err
	}
	if s.rtspsAddr, err = s.listenerAddrs(ctx, s.rtsps); err != nil {
		return err
	}
	return nil
}

// Stop shuts the tree down in order, within ctx's deadline: the listeners
// first (no new publishers; connections close), then the viewer sessions
// (every one ends), then the streams (every
// stream and input stops; pulls are cancelled), then the config owner,
// then the root, then the actor system. Calling it again
// returns the first call's result.
func (s *Server) Stop(ctx context.Context) error {
	s.stopOnce.Do(func() {
		s.ready.Store(false)
		s.stopPlacement()
		var errs []error
		var order []*actor.PID
		for _, ls := range [][]*actor.PID{s.rtmp, s.srt, s.rtsp, s.rtmps, s.rtsps} {
			order = append(order, ls...)
		}
		order = append(order, s.sessPID, s.streams, s.owner, s.root)
		for _, pid := range order {
			if pid != nil {
				errs = append(errs, stopAndWait(ctx, s.sys.Root, pid))
			}
		}
		if s.monitor != nil {
			s.monitor.Stop()
		}
		s.sys.Shutdown()
		s.dvr.Close()
		s.sessions.Close()
		s.events.Close()
		s.stopErr = errors.Join(errs...)
	})
	return s.stopErr
}
