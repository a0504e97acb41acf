package server

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/actors/auth"
	"streamhive/actors/config"
	"streamhive/actors/configowner"
	dvractor "streamhive/actors/dvr"
	"streamhive/actors/events"
	"streamhive/actors/input"
	"streamhive/actors/listener"
	"streamhive/actors/sessions"
	"streamhive/actors/stream"
	"streamhive/actors/streams"
	"streamhive/supervision"
)

// rootConfig is what the root actor needs to build the tree.
type rootConfig struct {
	path      string
	pullers   input.Pullers
	snapshot  *atomic.Pointer[config.Server]
	directory *atomic.Pointer[streams.Directory]
	rtmp      []config.Listen      // RTMP listeners to open
	srt       []listener.SRTConfig // SRT listeners to open (srt.go)
	rtsp      []config.Listen      // RTSP listeners to open (rtsp.go)
	rtmps     []tlsListen          // RTMPS listeners to open (tls.go)
	rtsps     []tlsListen          // RTSPS listeners to open (tls.go)
	listen    func(network, address string) (net.Listener, error)
	dvr       *dvractor.Storage                 // records streams with a `dvr` line (dvr.go)
	check     func(*config.Server) error        // what the config owner checks besides config's validation (policies.go)
	policies  auth.Policies                     // who may publish, for the listeners (publishauth.go)
	sessions  *sessions.Table                   // viewer sessions (sessions.go)
	audience  func(stream string) int           // a stream's viewers: its sessions and other nodes' pulls (pulls.go)
	viewers   listener.Viewers                  // the listeners' play connections (viewers.go)
	idle      streams.Idle                      // how long on-demand and templates' streams outlive their want
	place     func(config.Stream) config.Stream // the cluster's placement (placement.go)
	events    *events.Bus                       // where the tree's events go
}

// childSupervisor restarts the streams supervisor, the config owner or a
// listener when it crashes. The first two continue from the published
// configuration, so a restart loses nothing; a listener opens its port
// again. The backoff keeps a crash loop from spinning.
var childSupervisor = &supervision.RestartWithBackoff{
	Backoff: supervision.Backoff{Initial: 100 * time.Millisecond, Max: 10 * time.Second},
	Window:  time.Minute,
}

func rootProps(cfg rootConfig) *actor.Props {
	return actor.PropsFromProducer(func() actor.Actor { return &rootActor{cfg: cfg} },
		actor.WithSupervisor(childSupervisor))
}

// rootActor is the top of the tree: it spawns the streams supervisor, the
// config owner, the sessions supervisor and the protocol listeners, and
// supervises them.
type rootActor struct {
	cfg      rootConfig
	children *childrenReply
}

// getChildren asks the root actor for its children.
type getChildren struct{}

type childrenReply struct {
	streams, owner *actor.PID
	sessions       *actor.PID
	listeners      []*actor.PID // RTMP listeners, in configuration order
	srt            []*actor.PID // SRT listeners, in srtListeners' order
	rtsp           []*actor.PID // RTSP listeners, in configuration order
	rtmps, rtsps   []*actor.PID // TLS listeners, in configuration order
	err            error
}

func (a *rootActor) Receive(ctx actor.Context) {
	switch ctx.Message().(type) {
	case *actor.Started:
		a.children = a.spawn(ctx)
	case *getChildren:
		ctx.Respond(a.children)
	}
}

func (a *rootActor) spawn(ctx actor.Context) *childrenReply {
	st, err := ctx.SpawnNamed(streams.Props(streams.Config{
		Current:     a.cfg.snapshot.Load,
		Pullers:     a.cfg.pullers,
		Directory:   a.cfg.directory,
		StreamProps: withDVR(a.cfg.dvr),
		Viewers:     a.cfg.audience,
		Idle:        a.cfg.idle,
		Place:       a.cfg.place,
		Events:      a.cfg.events,
	}), "streams")
	if err != nil {
		return &childrenReply{err: err}
	}
	owner, err := ctx.SpawnNamed(configowner.Props(configowner.Config{
		Path:     a.cfg.path,
		Snapshot: a.cfg.snapshot,
		Streams:  st,
		Check:    a.cfg.check,
		Events:   a.cfg.events,
	}), "config")
	if err != nil {
		return &childrenReply{err: err}
	}
	sess, err := ctx.SpawnNamed(sessions.Props(a.cfg.sessions), "sessions")
	if err != nil {
		return &childrenReply{err: err}
	}
	rep := &childrenReply{streams: st, owner: owner, sessions: sess}
	dir := a.cfg.directory
	shared := listener.Config{
		Lookup: func(name string) (*stream.Status, bool) { return dir.Load().Status(name) },
		Listen: a.cfg.listen, Policies: a.cfg.policies, Viewers: a.cfg.viewers,
		Dynamic: dynamicStreams{root: ctx.ActorSystem().Root, streams: st, current: a.cfg.snapshot.Load, dir: dir},
	}
	if rep.listeners, err = spawnEach(ctx, "rtmp", a.cfg.rtmp, func(l config.Listen) *actor.Props {
		c := shared
		c.Address = net.JoinHostPort(l.Address, strconv.Itoa(l.Port))
		return listener.RTMPProps(c)
	}); err != nil {
		return &childrenReply{err: err}
	}
	if rep.srt, err = spawnSRT(ctx, a.cfg.srt, shared); err != nil {
		return &childrenReply{err: err}
	}
	if rep.rtsp, err = spawnRTSP(ctx, a.cfg.rtsp, shared); err != nil {
		return &childrenReply{err: err}
	}
	if rep.rtmps, err = spawnTLS(ctx, "rtmps", a.cfg.rtmps, listener.RTMPSProps, shared); err != nil {
		return &childrenReply{err: err}
	}
	if rep.rtsps, err = spawnTLS(ctx, "rtsps", a.cfg.rtsps, listener.RTSPSProps, shared); err != nil {
		return &childrenReply{err: err}
	}
	return rep
}

// spawnEach starts a listener actor PROTO-I under the root actor for each
// of ls, in order, with the Props that props builds for it.
func spawnEach[L any](ctx actor.Context, proto string, ls []L, props func(L) *actor.Props) ([]*actor.PID, error) {
	pids := make([]*actor.PID, 0, len(ls))
	for i, l := range ls {
		pid, err := ctx.SpawnNamed(props(l), fmt.Sprintf("%s-%d", proto, i))
		if err != nil {
			return nil, err
		}
		pids = append(pids, pid)
	}
	return pids, nil
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
