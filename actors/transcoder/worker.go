package transcoder

import (
	"context"
	"errors"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/actors/kit"
	"streamhive/media/hub"
)

// worker is the goroutine a session actor (the ladder's, the Opus
// encoder's) runs its FFmpeg work on: one per actor instance, reporting
// its end to the actor as sessionEnded, waited for when the actor stops.
type worker struct {
	cancel context.CancelFunc
	done   chan struct{}
}

// goRun runs work on a fresh goroutine with a context stop cancels;
// cleanup runs after work (closing what it read and wrote), before stop
// returns.
func (w *worker) goRun(ctx actor.Context, work func(context.Context) error, cleanup func()) {
	run, cancel := context.WithCancel(context.Background())
	w.cancel, w.done = cancel, make(chan struct{})
	root, self := ctx.ActorSystem().Root, ctx.Self()
	go func() {
		defer close(w.done)
		defer cleanup()
		root.Send(self, &sessionEnded{err: work(run)})
	}()
}

// stop cancels the goroutine and waits for it: its FFmpeg objects are
// freed and its output closed when stop returns.
func (w *worker) stop() {
	if w.cancel != nil {
		w.cancel()
		<-w.done
		w.cancel = nil
	}
}

// ended fails the actor with the goroutine's error, unless the stream is
// stopping (its hub closed) or the actor stopped it.
func ended(ctx actor.Context, err error) {
	if errors.Is(err, hub.ErrClosed) || errors.Is(err, context.Canceled) {
		return
	}
	kit.Fail(ctx, err)
}
