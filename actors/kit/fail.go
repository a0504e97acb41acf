package kit

import (
	"fmt"

	"github.com/asynkron/protoactor-go/actor"
)

// Fail reports an expected failure (a lost connection, an unsupported URL)
// to the actor's supervisor exactly as a panic would, but without one: the
// actor's mailbox is suspended and its parent's strategy decides whether to
// restart it, and when, or to stop it. The message being handled is dropped.
// Return from Receive right after calling Fail. Panics stay reserved for
// broken invariants.
//
// An actor spawned from the root has no parent: its failure goes to
// protoactor's default strategy (restart, at most 10 times in 10 s).
func Fail(ctx actor.Context, err error) {
	sup, ok := ctx.(actor.Supervisor)
	if !ok {
		// A context decorator hides the actor context; the panic path
		// reaches the same supervisor.
		panic(fmt.Errorf("kit.Fail: %w", err))
	}
	sup.EscalateFailure(err, ctx.Message())
}
