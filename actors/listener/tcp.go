package listener

import (
	"errors"
	"fmt"
	"log/slog"
	"net"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/actors/kit"
)

// tcpServer is what a TCP protocol listener runs (rtmp.Server,
// rtsp.Server): Serve blocks until Close, then returns closedErr.
type tcpServer interface {
	Serve(ln net.Listener) error
	Close()
}

// tcpKind describes one TCP protocol for the shared listener actor.
type tcpKind struct {
	name      string // "rtmp", "rtsp": log and error prefix
	closedErr error  // what Serve returns after Close
	// newServer builds a fresh server whose hooks publish through p.
	newServer func(p *publisher, log *slog.Logger) tcpServer
}

func tcpProps(kind tcpKind, cfg Config) *actor.Props {
	if cfg.Listen == nil {
		cfg.Listen = net.Listen
	}
	return actor.PropsFromProducer(func() actor.Actor { return &tcpListener{kind: kind, cfg: cfg} })
}

// tcpListener owns one port and the protocol server on it. Each instance
// (the first and any restart) opens the port afresh.
type tcpListener struct {
	kind  tcpKind
	cfg   Config
	addr  net.Addr
	err   error // why the port could not be opened
	serve *serving
}

// serving is one Serve call; its address identifies it in serveExited.
type serving struct {
	srv  tcpServer
	done chan struct{} // closed when Serve has returned
}

// serveExited is sent by the serve goroutine when Serve returns.
type serveExited struct {
	serve *serving
	err   error
}

// IgnoreDeadLetterLogging implements actor.IgnoreDeadLetterLogging: Serve
// returns after its listener has stopped.
func (*serveExited) IgnoreDeadLetterLogging() {}

// Receive implements actor.Actor.
func (a *tcpListener) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *actor.Started:
		a.onStarted(ctx)
	case *GetAddr:
		ctx.Respond(&GetAddrReply{Addr: a.addr, Err: a.err})
	case *serveExited:
		if m.serve == a.serve && !errors.Is(m.err, a.kind.closedErr) {
			kit.Fail(ctx, fmt.Errorf("%s listener %s: %w", a.kind.name, a.addr, m.err))
		}
	case *actor.Stopping, *actor.Restarting:
		a.stop()
	}
}

func (a *tcpListener) onStarted(ctx actor.Context) {
	ln, err := a.cfg.Listen("tcp", a.cfg.Address)
	if err != nil {
		a.err = fmt.Errorf("%s listener %s: %w", a.kind.name, a.cfg.Address, err)
		ctx.Logger().Error(a.kind.name+": cannot listen", slog.Any("err", a.err))
		return
	}
	a.addr = ln.Addr()
	root, self := ctx.ActorSystem().Root, ctx.Self()
	srv := a.kind.newServer(&publisher{root: root, lookup: a.cfg.Lookup, policies: a.cfg.Policies, dynamic: a.cfg.Dynamic, log: ctx.Logger(), viewers: a.cfg.Viewers}, ctx.Logger())
	s := &serving{srv: srv, done: make(chan struct{})}
	a.serve = s
	go func() {
		defer close(s.done)
		err := srv.Serve(ln)
		root.Send(self, &serveExited{serve: s, err: err})
	}()
	ctx.Logger().Info(a.kind.name+": listening", slog.String("addr", a.addr.String()))
}

// stop closes the server (every connection ends and releases its
// publication) and waits for Serve to return.
func (a *tcpListener) stop() {
	if a.serve == nil {
		return
	}
	a.serve.srv.Close()
	<-a.serve.done
	a.serve = nil
}
