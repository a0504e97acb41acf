package transcoder

import (
	"context"
	"errors"
	"log/slog"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/media/transcode"
)

// session runs one ladder on one device: a goroutine reading the source
// hub and writing the output hub. Each instance (the first and every
// restart) starts a fresh goroutine and waits for it when it stops.
type session struct {
	cfg    Config
	ladder transcode.Ladder
	worker
}

// Receive implements actor.Actor.
func (s *session) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *actor.Started:
		s.start(ctx)
	case *sessionEnded:
		ended(ctx, m.err)
	case *actor.Stopping, *actor.Restarting:
		s.stop()
	}
}

// start subscribes to the source hub here, on the actor's goroutine, so
// that a session started before the first grant misses no frame.
func (s *session) start(ctx actor.Context) {
	src := &hubSource{c: s.cfg.Source.Subscribe(), st: s.cfg.Stats}
	out := &hubOutput{h: s.cfg.Output}
	log := ctx.Logger().With(slog.String("stream", string(s.cfg.Stream)))
	s.goRun(ctx, func(run context.Context) error { return s.run(run, src, out, log) },
		func() { out.close(); src.c.Close() })
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
