// Package input implements the input actor: one per configured input of a
// stream. It runs one Pull of its source's Puller in a goroutine and fails
// when the pull fails; it never retries. Its parent, the stream, decides
// (restart with backoff, stop, later fail over).
//
// Frames never pass through the actor: the puller writes them to the sink
// the stream granted (stream.Publish).
package input

import (
	"context"
	"errors"
	"log/slog"
	"maps"
	"sync/atomic"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/actors/config"
	"streamhive/actors/kit"
	"streamhive/actors/stream"
	"streamhive/media"
	"streamhive/supervision"
)

// ErrSourceEnded is the failure of a pull that returned without an error
// while the input was still running: the source closed.
var ErrSourceEnded = errors.New("source ended")

// Config is the configuration of one input actor.
type Config struct {
	Spec    stream.InputSpec
	Pullers Pullers // the puller is chosen by the input URL's scheme
}

// Props returns the Props of an input actor. Spawn each Props once: it
// numbers the actor's instances (runs) across restarts.
func Props(cfg Config) *actor.Props {
	var runs atomic.Int64
	return actor.PropsFromProducer(func() actor.Actor {
		return &inputActor{cfg: cfg, run: int(runs.Add(1))}
	})
}

type inputActor struct {
	cfg  Config
	run  int   // this instance's number: 1, then one more per restart
	pull *pull // the running pull; nil before Started
}

// pull is one Pull call. Its address identifies it, so a late pullExited
// from a pull that is no longer current is dropped.
type pull struct{ cancel context.CancelFunc }

// pullExited is sent by the pull goroutine when Pull returns.
type pullExited struct {
	pull *pull
	err  error
}

// IgnoreDeadLetterLogging implements actor.IgnoreDeadLetterLogging: a pull
// of a stopped input exits after its actor is gone, which is expected.
func (*pullExited) IgnoreDeadLetterLogging() {}

// Receive implements actor.Actor.
func (a *inputActor) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *actor.Started:
		a.onStarted(ctx)
	case *pullExited:
		if m.pull == a.pull {
			a.fail(ctx, classify(m.err))
		}
	case *chaosPanic:
		a.onChaos(m)
	case *actor.Stopping, *actor.Restarting:
		if a.pull != nil {
			a.pull.cancel()
		}
	}
}

func (a *inputActor) onStarted(ctx actor.Context) {
	puller, err := a.cfg.Pullers.For(a.cfg.Spec.Config.URL)
	if err != nil {
		a.fail(ctx, err)
		return
	}
	ctx.Send(ctx.Parent(), &stream.InputStarted{Input: ctx.Self(), Run: a.run})
	a.start(ctx, puller)
	a.armChaos(ctx)
}

// start launches the pull goroutine. The goroutine never touches a's
// fields: what it needs is copied into locals, and what it learns comes
// back as a message.
func (a *inputActor) start(ctx actor.Context, puller Puller) {
	pullCtx, cancel := context.WithCancel(media.WithInputStats(context.Background(), a.cfg.Spec.Stats))
	p := &pull{cancel: cancel}
	a.pull = p

	url, options, run := a.cfg.Spec.Config.URL, pullOptions(a.cfg.Spec), a.run
	root, self, parent := ctx.ActorSystem().Root, ctx.Self(), ctx.Parent()
	publish := func(tracks []media.Track) (media.Sink, error) {
		rep, err := kit.Ask[*stream.PublishReply](pullCtx, root, parent,
			&stream.Publish{Input: self, Run: run, Tracks: tracks})
		if err != nil {
			return nil, err
		}
		return rep.Sink, rep.Err
	}
	go func() {
		err := puller.Pull(pullCtx, url, options, publish)
		root.Send(self, &pullExited{pull: p, err: err})
	}()
}

// fail hands err to the stream's supervisor strategy.
// The error is scrubbed of the URL's secrets here, once, where it leaves
// the input: the log, the supervisor and the input's last_error (which
// view-only API users read) all see that one.
func (a *inputActor) fail(ctx actor.Context, err error) {
	url := a.cfg.Spec.Config.URL
	err = config.ScrubError(err, url)
	ctx.Logger().Warn("input failed",
		slog.String("stream", string(a.cfg.Spec.Stream)), slog.Int("input", a.cfg.Spec.Index),
		slog.String("url", config.RedactURL(url)), slog.Any("err", err))
	kit.Fail(ctx, err)
}

// classify turns how a pull ended into the failure the supervisor sees,
// marking the ones no restart can fix.
func classify(err error) error {
	switch {
	case err == nil:
		return ErrSourceEnded
	case errors.Is(err, media.ErrUnsupportedCodec) && !supervision.IsPermanent(err):
		return &supervision.Permanent{Err: err}
	default:
		return err
	}
}

// pullOptions returns the options a pull gets: the input's own, plus
// "name", the stream's name, unless the input sets it (fake:// burns it
// into the picture). The input's map is never modified.
func pullOptions(spec stream.InputSpec) map[string]string {
	if _, ok := spec.Config.Options["name"]; ok || spec.Stream == "" {
		return spec.Config.Options
	}
	out := make(map[string]string, len(spec.Config.Options)+1)
	maps.Copy(out, spec.Config.Options)
	out["name"] = string(spec.Stream)
	return out
}
