package listener

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/actors/auth"
	"streamhive/actors/kit"
	"streamhive/actors/stream"
	"streamhive/protocols/srt"
)

// SRTConfig configures one SRT listener actor: the global `srt_publish {
// port N; passphrase X; }` (publishers routed by streamid), the global
// `srt PORT;` (publishers and, with m=request, viewers routed by
// streamid), the global `srt_play { port N; }` (viewers routed by
// streamid, m= not needed), a stream's own `srt PORT;` (Stream set: every
// publisher feeds that stream, every m=request caller plays it) or its
// `srt_play { port N; }` (Stream set, PlayOnly: every caller plays it).
type SRTConfig struct {
	// Address is host:port to listen on (UDP); port 0 picks a free one.
	Address string
	// Passphrase, when set, is required of every publisher; empty means
	// unencrypted publishers only.
	Passphrase string
	// Latency is the receiver latency to propose; 0 means gosrt's 120 ms.
	Latency time.Duration
	// Stream, when set, is the only stream this port feeds; the
	// publisher's streamid is then ignored.
	Stream string
	// Lookup finds a stream's latest status by name, lock-free (the
	// streams Directory). Required.
	Lookup func(name string) (*stream.Status, bool)
	// Policies decide who may publish (on_publish, password); nil: no
	// stream is protected.
	Policies auth.Policies
	// Dynamic creates the streams templates admit publishers to; nil:
	// publishers reach configured streams only.
	Dynamic Dynamic
	// Viewers admits and serves the callers that ask to play (m=request);
	// nil: they are refused (REJX_BAD_MODE).
	Viewers Viewers
	// PlayOnly makes a play port: a caller without m= plays, and no
	// publisher is taken.
	PlayOnly bool
}

// SRTProps returns the Props of an SRT listener actor. It answers GetAddr
// like the RTMP listener. Each instance (the first and any restart) opens
// the port afresh.
func SRTProps(cfg SRTConfig) *actor.Props {
	return actor.PropsFromProducer(func() actor.Actor { return &srtListener{cfg: cfg} })
}

type srtListener struct {
	cfg   SRTConfig
	addr  net.Addr
	err   error // why the port could not be opened
	serve *srtServing
}

// srtServing is one Serve call; its address identifies it in
// srtServeExited.
type srtServing struct {
	srv  *srt.Server
	done chan struct{} // closed when Serve has returned
}

// srtServeExited is sent by the serve goroutine when Serve returns.
type srtServeExited struct {
	serve *srtServing
	err   error
}

// IgnoreDeadLetterLogging implements actor.IgnoreDeadLetterLogging: Serve
// returns after its listener has stopped.
func (*srtServeExited) IgnoreDeadLetterLogging() {}

// Receive implements actor.Actor.
func (a *srtListener) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *actor.Started:
		a.onStarted(ctx)
	case *GetAddr:
		ctx.Respond(&GetAddrReply{Addr: a.addr, Err: a.err})
	case *srtServeExited:
		if m.serve == a.serve && !errors.Is(m.err, srt.ErrServerClosed) {
			kit.Fail(ctx, fmt.Errorf("srt listener %s: %w", a.addr, m.err))
		}
	case *actor.Stopping, *actor.Restarting:
		a.stop()
	}
}

func (a *srtListener) onStarted(ctx actor.Context) {
	log := ctx.Logger() // srt.Server adds proto=srt
	if a.cfg.Stream != "" {
		log = log.With(slog.String("stream", a.cfg.Stream))
	}
	srv := &srt.Server{
		Hooks: &srtHooks{
			root: ctx.ActorSystem().Root, lookup: a.cfg.Lookup, policies: a.cfg.Policies, dynamic: a.cfg.Dynamic,
			stream: a.cfg.Stream, log: ctx.Logger(),
		},
		PlayOnly:   a.cfg.PlayOnly,
		Passphrase: a.cfg.Passphrase,
		Latency:    a.cfg.Latency,
		Logger:     log,
	}
	if a.cfg.Viewers != nil {
		srv.Player = &srtPlayer{viewers: a.cfg.Viewers, stream: a.cfg.Stream}
	}
	if err := srv.Listen(a.cfg.Address); err != nil {
		a.err = fmt.Errorf("srt listener %s: %w", a.cfg.Address, err)
		log.Error("srt: cannot listen", slog.Any("err", a.err))
		return
	}
	a.addr = srv.Addr()
	root, self := ctx.ActorSystem().Root, ctx.Self()
	s := &srtServing{srv: srv, done: make(chan struct{})}
	a.serve = s
	go func() {
		defer close(s.done)
		err := srv.Serve()
		root.Send(self, &srtServeExited{serve: s, err: err})
	}()
	log.Info("srt: listening", slog.String("addr", a.addr.String()))
}

// stop closes the server (every connection ends and releases its
// publication) and waits for Serve to return.
func (a *srtListener) stop() {
	if a.serve == nil {
		return
	}
	a.serve.srv.Close()
	<-a.serve.done
	a.serve = nil
}
