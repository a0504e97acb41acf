//go:build !chaos

package input

import "github.com/asynkron/protoactor-go/actor"

// A normal build has no fault hook: the chaos_panic input option is an
// ordinary protocol option that nothing reads. The hook (fault.go) is
// compiled in only with -tags chaos.

// chaosHook says whether this binary has the fault hook.
const chaosHook = false

// chaosPanic is never sent in this build.
type chaosPanic struct{}

func (*inputActor) armChaos(actor.Context) {}

func (*inputActor) onChaos(*chaosPanic) {}
