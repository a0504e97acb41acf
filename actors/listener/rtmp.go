// Package listener implements the protocol listener actors: one per
// configured port. Each owns a protocols/* server and implements its Hooks,
// turning a connection's requests into messages to the stream actors.
//
// Only RTMP publishing exists so far: an encoder publishing to
// rtmp://HOST:PORT/live/NAME (or rtmp://HOST:PORT/NAME) feeds stream NAME
// through its publish:// input.
package listener

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/actors/kit"
	"streamhive/actors/stream"
	"streamhive/media"
	"streamhive/protocols/rtmp"
)

// Config configures one listener actor.
type Config struct {
	// Address is host:port to listen on; port 0 picks a free one (tests).
	Address string
	// Lookup finds a stream's latest status by name, lock-free (the
	// streams Directory). Required.
	Lookup func(name string) (*stream.Status, bool)
	// Listen opens the port. Nil means net.Listen; tests substitute
	// in-memory listeners.
	Listen func(network, address string) (net.Listener, error)
}

// RTMPProps returns the Props of an RTMP listener actor. Each instance
// (the first and any restart) opens the port afresh.
func RTMPProps(cfg Config) *actor.Props {
	if cfg.Listen == nil {
		cfg.Listen = net.Listen
	}
	return actor.PropsFromProducer(func() actor.Actor { return &rtmpListener{cfg: cfg} })
}

type rtmpListener struct {
	cfg   Config
	addr  net.Addr
	err   error // why the port could not be opened
	serve *serving
}

// serving is one Serve call; its address identifies it in serveExited.
type serving struct {
	srv  *rtmp.Server
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
func (a *rtmpListener) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *actor.Started:
		a.onStarted(ctx)
	case *GetAddr:
		ctx.Respond(&GetAddrReply{Addr: a.addr, Err: a.err})
	case *serveExited:
		if m.serve == a.serve && !errors.Is(m.err, rtmp.ErrServerClosed) {
			kit.Fail(ctx, fmt.Errorf("rtmp listener %s: %w", a.addr, m.err))
		}
	case *actor.Stopping, *actor.Restarting:
		a.stop()
	}
}

func (a *rtmpListener) onStarted(ctx actor.Context) {
	ln, err := a.cfg.Listen("tcp", a.cfg.Address)
	if err != nil {
		a.err = fmt.Errorf("rtmp listener %s: %w", a.cfg.Address, err)
		ctx.Logger().Error("rtmp: cannot listen", slog.Any("err", a.err))
		return
	}
	a.addr = ln.Addr()
	root, self := ctx.ActorSystem().Root, ctx.Self()
	srv := &rtmp.Server{
		Hooks:  &hooks{root: root, lookup: a.cfg.Lookup},
		Logger: ctx.Logger(),
	}
	s := &serving{srv: srv, done: make(chan struct{})}
	a.serve = s
	go func() {
		defer close(s.done)
		err := srv.Serve(ln)
		root.Send(self, &serveExited{serve: s, err: err})
	}()
	ctx.Logger().Info("rtmp: listening", slog.String("addr", a.addr.String()))
}

// stop closes the server (every connection ends and releases its
// publication) and waits for Serve to return.
func (a *rtmpListener) stop() {
	if a.serve == nil {
		return
	}
	a.serve.srv.Close()
	<-a.serve.done
	a.serve = nil
}

// hooks implements rtmp.Hooks. Its methods run on connection goroutines.
type hooks struct {
	root   *actor.RootContext
	lookup func(name string) (*stream.Status, bool)
}

// Publish asks stream name's actor for its publisher slot. The refusal
// reasons (no such stream, no publish:// input, outranked) come back as
// errors, which the RTMP server logs with the stream name.
func (h *hooks) Publish(ctx context.Context, name media.StreamName, tracks []media.Track) (media.Sink, func(), error) {
	st, ok := h.lookup(string(name))
	if !ok {
		return nil, nil, fmt.Errorf("stream %q: %w", name, ErrNoStream)
	}
	if st.PID == nil {
		return nil, nil, fmt.Errorf("stream %q: %w", name, ErrStreamDown)
	}
	req := &stream.AcceptPublisher{Tracks: tracks, Stats: media.InputStatsFrom(ctx)}
	if info, ok := rtmp.PublishInfoFrom(ctx); ok && info.Peer != nil {
		req.Peer = info.Peer.String()
	}
	rep, err := kit.Ask[*stream.AcceptPublisherReply](ctx, h.root, st.PID, req)
	if err == nil {
		err = rep.Err
	}
	if err != nil {
		return nil, nil, fmt.Errorf("stream %q: %w", name, err)
	}
	pid, session := st.PID, rep.Session
	release := func() { h.root.Send(pid, &stream.ReleasePublisher{Session: session}) }
	return rep.Sink, release, nil
}
