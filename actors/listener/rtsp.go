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
	"streamhive/protocols/rtsp"
)

// RTSPProps returns the Props of an RTSP listener actor (`rtsp PORT;`):
// encoders publishing to rtsp://HOST:PORT/NAME (ANNOUNCE and RECORD, RTP
// over TCP or UDP) feed stream NAME through its publish:// input. It
// answers GetAddr with its TCP address; the RTP/RTCP UDP pair is chosen
// free next to it and announced to publishers in SETUP. Each instance (the
// first and any restart) opens the port afresh.
func RTSPProps(cfg Config) *actor.Props {
	if cfg.Listen == nil {
		cfg.Listen = net.Listen
	}
	return actor.PropsFromProducer(func() actor.Actor { return &rtspListener{cfg: cfg} })
}

type rtspListener struct {
	cfg   Config
	addr  net.Addr
	err   error // why the port could not be opened
	serve *rtspServing
}

// rtspServing is one Serve call; its address identifies it in
// rtspServeExited.
type rtspServing struct {
	srv  *rtsp.Server
	done chan struct{} // closed when Serve has returned
}

// rtspServeExited is sent by the serve goroutine when Serve returns.
type rtspServeExited struct {
	serve *rtspServing
	err   error
}

// IgnoreDeadLetterLogging implements actor.IgnoreDeadLetterLogging: Serve
// returns after its listener has stopped.
func (*rtspServeExited) IgnoreDeadLetterLogging() {}

// Receive implements actor.Actor.
func (a *rtspListener) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *actor.Started:
		a.onStarted(ctx)
	case *GetAddr:
		ctx.Respond(&GetAddrReply{Addr: a.addr, Err: a.err})
	case *rtspServeExited:
		if m.serve == a.serve && !errors.Is(m.err, rtsp.ErrServerClosed) {
			kit.Fail(ctx, fmt.Errorf("rtsp listener %s: %w", a.addr, m.err))
		}
	case *actor.Stopping, *actor.Restarting:
		a.stop()
	}
}

func (a *rtspListener) onStarted(ctx actor.Context) {
	ln, err := a.cfg.Listen("tcp", a.cfg.Address)
	if err != nil {
		a.err = fmt.Errorf("rtsp listener %s: %w", a.cfg.Address, err)
		ctx.Logger().Error("rtsp: cannot listen", slog.Any("err", a.err))
		return
	}
	a.addr = ln.Addr()
	root, self := ctx.ActorSystem().Root, ctx.Self()
	srv := &rtsp.Server{
		Hooks:  &rtspHooks{root: root, lookup: a.cfg.Lookup},
		Logger: ctx.Logger(),
	}
	s := &rtspServing{srv: srv, done: make(chan struct{})}
	a.serve = s
	go func() {
		defer close(s.done)
		err := srv.Serve(ln)
		root.Send(self, &rtspServeExited{serve: s, err: err})
	}()
	ctx.Logger().Info("rtsp: listening", slog.String("addr", a.addr.String()))
}

// stop closes the server (every session ends and releases its
// publication) and waits for Serve to return.
func (a *rtspListener) stop() {
	if a.serve == nil {
		return
	}
	a.serve.srv.Close()
	<-a.serve.done
	a.serve = nil
}

// rtspHooks implements rtsp.Hooks. Its methods run on session goroutines.
type rtspHooks struct {
	root   *actor.RootContext
	lookup func(name string) (*stream.Status, bool)
}

// Publish asks stream name's actor for its publisher slot, as the RTMP
// listener does. The refusal reasons (no such stream, not running, no
// publish:// input, outranked) come back as errors, which the RTSP server
// logs with the stream name and answers with 403.
func (h *rtspHooks) Publish(ctx context.Context, name media.StreamName, tracks []media.Track) (media.Sink, func(), error) {
	st, ok := h.lookup(string(name))
	if !ok {
		return nil, nil, fmt.Errorf("stream %q: %w", name, ErrNoStream)
	}
	if st == nil || st.PID == nil {
		return nil, nil, fmt.Errorf("stream %q: %w", name, ErrStreamDown)
	}
	req := &stream.AcceptPublisher{Tracks: tracks, Stats: media.InputStatsFrom(ctx)}
	if info, ok := rtsp.PublishInfoFrom(ctx); ok && info.Peer != nil {
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
