package push

import (
	"context"
	"errors"
	"log/slog"
	"strings"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/actors/config"
	"streamhive/actors/kit"
	"streamhive/media/hub"
	"streamhive/supervision"
)

// run is one Sender call. Its address identifies it: a sessionEnded from
// an older run is dropped.
type run struct{ cancel context.CancelFunc }

// sessionActor runs one connection to the target and fails when it ends.
type sessionActor struct {
	cfg Config
	run *run
}

func sessionProps(cfg Config) *actor.Props {
	return actor.PropsFromProducer(func() actor.Actor { return &sessionActor{cfg: cfg} })
}

// Receive implements actor.Actor.
func (a *sessionActor) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *actor.Started:
		a.start(ctx)
	case *sessionEnded:
		if m.run == a.run {
			a.fail(ctx, classify(m.err))
		}
	case *actor.Stopping, *actor.Restarting:
		if a.run != nil {
			a.run.cancel()
		}
	}
}

// start subscribes to the hub and launches the sender goroutine on the
// tracks the push carries (selected). The goroutine touches none of a's
// fields; it reports back by message.
func (a *sessionActor) start(ctx actor.Context) {
	send, err := a.cfg.sender()
	if err != nil {
		a.fail(ctx, err)
		return
	}
	choice, err := choiceFor(a.cfg.Push)
	if err != nil {
		a.fail(ctx, &supervision.Permanent{Err: err})
		return
	}
	consumer, err := a.cfg.Subscribe()
	if err != nil {
		a.fail(ctx, err)
		return
	}
	a.cfg.Stats.sessionStarting()
	runCtx, cancel := context.WithCancel(context.Background())
	r := &run{cancel: cancel}
	a.run = r
	root, self := ctx.ActorSystem().Root, ctx.Self()
	p, stats := a.cfg.Push, a.cfg.Stats
	src := newSelected(consumer, choice)
	go func() {
		err := send(runCtx, p.URL, p.Options, src, &stats.Bytes)
		consumer.Close()
		root.Send(self, &sessionEnded{run: r, err: err})
	}()
}

// The error is scrubbed of the URL's secrets here, where it leaves the
// session: the log, the target's retry log and last_error see that one.
func (a *sessionActor) fail(ctx actor.Context, err error) {
	err = config.ScrubError(err, a.cfg.Push.URL)
	ctx.Logger().Warn("push: session ended", slog.String("stream", string(a.cfg.Stream)),
		slog.String("push", a.cfg.ID), slog.String("url", Redact(a.cfg.Push.URL)), slog.Any("err", err))
	kit.Fail(ctx, err)
}

// sender picks the Sender for the push's URL scheme.
func (c *Config) sender() (Sender, error) {
	scheme, _, ok := strings.Cut(c.Push.URL, "://")
	if s := c.Senders[scheme]; ok && s != nil {
		return s, nil
	}
	return nil, &supervision.Permanent{Err: errors.Join(ErrUnknownScheme, errors.New(scheme))}
}

// classify turns how a sender returned into the session's failure. A
// stream without a codec the target can carry is retried like any other
// failure: the stream's next source may carry one.
func classify(err error) error {
	switch {
	case err == nil:
		return ErrSenderReturned
	case errors.Is(err, hub.ErrClosed):
		return ErrStreamEnded
	default:
		return err
	}
}

// Redact returns url with its secrets masked (config.RedactURL): what
// logs and the push's stats may show.
func Redact(raw string) string { return config.RedactURL(raw) }
