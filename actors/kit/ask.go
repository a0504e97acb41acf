package kit

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/asynkron/protoactor-go/actor"
)

// DefaultAskTimeout bounds an Ask whose context has no deadline.
const DefaultAskTimeout = 5 * time.Second

// ErrActorGone is returned by Ask when the target actor no longer exists.
var ErrActorGone = errors.New("actor is gone")

// Ask sends req to pid and waits for a reply of type R.
//
// Use Ask only at the edges of the actor system (the server's Control
// methods, protocol callbacks, input goroutines, tests). Inside Receive, use
// ctx.Request with a reply case or ctx.ReenterAfter: never block a mailbox
// on another actor. ctx's deadline bounds the wait; a cancellation without a
// deadline is seen only before the request is sent, because a protoactor
// future cannot observe it.
func Ask[R any](ctx context.Context, root *actor.RootContext, pid *actor.PID, req any) (R, error) {
	var zero R

	if err := ctx.Err(); err != nil {
		return zero, fmt.Errorf("ask %T: %w", req, err)
	}
	timeout := DefaultAskTimeout
	if deadline, ok := ctx.Deadline(); ok {
		// Never pass a negative timeout: protoactor's NewFuture arms its
		// timer only when d >= 0, so a negative one waits for ever.
		if timeout = time.Until(deadline); timeout <= 0 {
			return zero, fmt.Errorf("ask %T: %w", req, context.DeadlineExceeded)
		}
	}
	if pid == nil {
		return zero, fmt.Errorf("ask %T: %w", req, ErrActorGone)
	}

	res, err := root.RequestFuture(pid, req, timeout).Result()
	switch {
	case errors.Is(err, actor.ErrTimeout):
		return zero, fmt.Errorf("ask %T: %w", req, context.DeadlineExceeded)
	case errors.Is(err, actor.ErrDeadLetter):
		return zero, fmt.Errorf("ask %T: %w", req, ErrActorGone)
	case err != nil:
		return zero, fmt.Errorf("ask %T: %w", req, err)
	}
	rep, ok := res.(R)
	if !ok {
		return zero, fmt.Errorf("ask %T: got reply %T, want %T", req, res, zero)
	}
	return rep, nil
}
