package transcoder

import (
	"context"
	"errors"
	"log/slog"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/actors/kit"
	"streamhive/media/hub"
	"streamhive/media/transcode"
)

// session runs one ladder on one device: a goroutine reading the source
// hub and writing the output hub. Each instance (the first and every
// restart) starts a fresh goroutine and waits for it when it stops.
type session struct {
	cfg    Config
	ladder transcode.Ladder
	cancel context.CancelFunc
	done   chan struct{}
}

// Receive implements actor.Actor.
func (s *session) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *actor.Started:
		s.start(ctx)
	case *sessionEnded:
		if errors.Is(m.err, hub.ErrClosed) || errors.Is(m.err, context.Canceled) {
			return // the stream is stopping
		}
		kit.Fail(ctx, m.err)
	case *actor.Stopping, *actor.Restarting:
		s.stop()
	}
}

// start subscribes to the source hub here, on the actor's goroutine, so
// that a session started before the first grant misses no frame.
func (s *session) start(ctx actor.Context) {
	run, cancel := context.WithCancel(context.Background())
	s.cancel, s.done = cancel, make(chan struct{})
	src := &hubSource{c: s.cfg.Source.Subscribe(), st: s.cfg.Stats}
	out := &hubOutput{h: s.cfg.Output}
	root, self, log := ctx.ActorSystem().Root, ctx.Self(), ctx.Logger().With(slog.String("stream", string(s.cfg.Stream)))
	go func() {
		defer close(s.done)
		defer src.c.Close()
		defer out.close()
		err := s.run(run, src, out, log)
		root.Send(self, &sessionEnded{err: err})
	}()
}

// run runs the ladder; a hardware ladder that cannot open its encoder runs
// again on the CPU when the spec says fallback=cpu.
func (s *session) run(ctx context.Context, src *hubSource, out *hubOutput, log *slog.Logger) error {
	err := transcode.Run(ctx, s.ladder, src, out, s.cfg.Stats)
	if !errors.Is(err, transcode.ErrNoDevice) || !fallsBack(s.cfg.Spec) {
		return err
	}
	log.Warn("transcoder: hardware encoder unavailable, falling back to cpu (fallback=cpu)", slog.Any("err", err))
	s.cfg.Stats.SetFallback(err)
	cpu := s.ladder
	cpu.Encoder, cpu.Device = "", 0
	return transcode.Run(ctx, cpu, src, out, s.cfg.Stats)
}

// stop cancels the goroutine and waits for it: its FFmpeg objects are
// freed and its writer revoked when stop returns.
func (s *session) stop() {
	if s.cancel != nil {
		s.cancel()
		<-s.done
		s.cancel = nil
	}
}
