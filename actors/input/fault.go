//go:build chaos

package input

import (
	"log/slog"
	"strconv"
	"time"

	"github.com/asynkron/protoactor-go/actor"
)

// The chaos harness (chaos/, `make chaos`) needs an input actor that panics
// repeatedly. The hook is an input option, chaos_panic=SECONDS: each run
// of the input actor panics that long after it starts. It exists only in
// a binary built with -tags chaos (make chaos builds bin/streamhive-chaos);
// in a normal build (nofault.go) the option is an ordinary protocol option
// that nothing reads.
const chaosPanicOption = "chaos_panic"

// chaosHook says whether this binary has the fault hook.
const chaosHook = true

// chaosPanic makes the input actor's Receive panic (a broken invariant, as
// far as its supervisor can tell).
type chaosPanic struct{ run int }

// IgnoreDeadLetterLogging: the input may have stopped before it fires.
func (*chaosPanic) IgnoreDeadLetterLogging() {}

// chaosDelay returns the delay of the chaos_panic option, ok false when the
// option is absent or malformed.
func chaosDelay(options map[string]string) (time.Duration, bool) {
	v, ok := options[chaosPanicOption]
	if !ok {
		return 0, false
	}
	secs, err := strconv.ParseFloat(v, 64)
	if err != nil || secs < 0 {
		return 0, false
	}
	return time.Duration(secs * float64(time.Second)), true
}

// armChaos schedules this run's panic when the hook asks for one.
func (a *inputActor) armChaos(ctx actor.Context) {
	d, ok := chaosDelay(a.cfg.Spec.Config.Options)
	if !ok {
		return
	}
	ctx.Logger().Warn("input: chaos hook armed: this input panics", slog.String("stream", string(a.cfg.Spec.Stream)),
		slog.Int("input", a.cfg.Spec.Index), slog.Duration("after", d))
	root, self, run := ctx.ActorSystem().Root, ctx.Self(), a.run
	time.AfterFunc(d, func() { root.Send(self, &chaosPanic{run: run}) })
}

// onChaos panics if m is for this run (a restarted actor keeps its PID, so
// a late message from an earlier run is ignored).
func (a *inputActor) onChaos(m *chaosPanic) {
	if m.run == a.run {
		panic("chaos: input actor panics on purpose (" + chaosPanicOption + ")")
	}
}
