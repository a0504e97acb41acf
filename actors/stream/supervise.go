package stream

import (
	"fmt"

	"github.com/VictoriaMetrics/metrics"
	"github.com/asynkron/protoactor-go/actor"

	"streamhive/supervision"
)

// inputRestarts counts input restarts across all streams; inputStops the
// inputs their supervisor stopped for good (a permanent failure, or the
// restart budget spent).
var (
	inputRestarts = metrics.NewCounter(`streamhive_actor_restarts_total{actor="input"}`)
	inputStops    = metrics.NewCounter(`streamhive_actor_stops_total{actor="input"}`)
)

// HandleFailure implements actor.SupervisorStrategy: protoactor asks the
// stream itself, before any Props strategy, what to do about a failed
// input. It runs on the stream's goroutine, between messages. The decision
// is cfg.Supervisor's; the stream records it in the input's stats and takes
// the grant back from a failed input.
func (a *streamActor) HandleFailure(sys *actor.ActorSystem, sup actor.Supervisor,
	child *actor.PID, rs *actor.RestartStatistics, reason, _ any,
) {
	if a.keys.pid != nil && child.Equal(a.keys.pid) {
		// The key actor alone restarts; its Handle, so the keys, stays.
		a.cfg.Supervisor.Handle(sys, sup, child, rs, reason)
		return
	}
	idx, ok := a.inputs.index(child)
	if !ok {
		sup.StopChildren(child) // an input of an older configuration
		return
	}
	d := a.cfg.Supervisor.Handle(sys, sup, child, rs, reason)

	in := &a.inputs.slots[idx]
	in.status.Failures++
	in.status.LastError = describe(reason)
	in.status.State = InputError
	if d.Restart() {
		in.status.Restarts++
		inputRestarts.Inc()
	} else {
		inputStops.Inc()
		if supervision.Decide(reason) != actor.StopDirective {
			// The restart budget is spent: say so in last_error.
			in.status.LastError = d.Why + "; last: " + in.status.LastError
		}
	}
	a.disconnect(idx, in.status.LastError)
}

// describe turns a failure reason (an error from kit.Fail or a panic value)
// into an input's last_error.
func describe(reason any) string {
	if err, ok := reason.(error); ok {
		return err.Error()
	}
	return fmt.Sprintf("panic: %v", reason)
}
