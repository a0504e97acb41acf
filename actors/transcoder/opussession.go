package transcoder

import (
	"context"
	"log/slog"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/media"
	"streamhive/media/hub"
	"streamhive/media/transcode"
)

// opusAudio is what the encoder makes: libopus at its default bitrate,
// the source's channels (at most two).
var opusAudio = transcode.AudioOut{Codec: media.CodecOpus}

// opusSession runs one AAC-to-Opus encoder: a goroutine reading the
// stream's hub and writing its derived Opus track. Each instance (the
// first and every restart) starts a fresh goroutine and waits for it when
// it stops, so its track is gone from the hub by then.
type opusSession struct {
	cfg OpusConfig
	worker
}

// Receive implements actor.Actor.
func (s *opusSession) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *actor.Started:
		s.start(ctx)
	case *sessionEnded:
		ended(ctx, m.err)
	case *actor.Stopping, *actor.Restarting:
		s.stop()
	}
}

// start subscribes here, on the actor's goroutine, and runs the encoder
// on its own.
func (s *opusSession) start(ctx actor.Context) {
	src := &hubSource{c: s.cfg.Hub.Subscribe(), st: transcode.NewStats(0)}
	out := &derivedOutput{h: s.cfg.Hub}
	ctx.Logger().Debug("transcoder: Opus encoder starts", slog.String("stream", string(s.cfg.Stream)))
	s.goRun(ctx, func(run context.Context) error { return transcode.RunAudio(run, opusAudio, src, out) },
		func() { out.close(); src.c.Close() })
}

// derivedOutput adapts a derived track of the stream's hub to
// transcode.AudioSink: each announced track replaces the previous one.
type derivedOutput struct {
	h *hub.Hub
	w *hub.DerivedWriter // nil while there is no track
}

var _ transcode.AudioSink = (*derivedOutput)(nil)

// SetTrack implements transcode.AudioSink.
func (o *derivedOutput) SetTrack(t *media.Track) {
	o.close()
	if t != nil {
		o.w = o.h.AddDerived(*t)
	}
}

// WriteFrame implements media.Sink.
func (o *derivedOutput) WriteFrame(f *media.Frame) {
	if o.w != nil {
		o.w.WriteFrame(f)
	}
}

// close removes the track from the hub.
func (o *derivedOutput) close() {
	if o.w != nil {
		o.w.Close()
		o.w = nil
	}
}
