package supervision

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/asynkron/protoactor-go/actor"
)

// RestartWithBackoff is the strategy for children that talk to the outside
// world (inputs, pushes) and for streams. It restarts a failed child after
// Backoff.Delay, and stops it on a Permanent error or when the restart
// budget is spent (MaxRestarts failures within Window). The parent then sees
// Terminated for the child.
//
// A RestartWithBackoff is immutable once in use and safe for concurrent use:
// protoactor calls HandleFailure on the failing child's parent goroutine, and
// one strategy value may serve many parents.
type RestartWithBackoff struct {
	Backoff Backoff

	// MaxRestarts is the restart budget: a child that has already been
	// restarted MaxRestarts times within Window is stopped at its next
	// failure. 0 means no budget (restart for ever, with backoff).
	MaxRestarts int
	// Window is the span over which failures count, both for the budget
	// and as the backoff attempt number, so a child that ran well for a
	// Window restarts after Backoff.Initial again. 0 means for ever.
	Window time.Duration
}

var _ actor.SupervisorStrategy = (*RestartWithBackoff)(nil)

// Decision is what RestartWithBackoff did about one failure.
type Decision struct {
	// Directive is actor.RestartDirective or actor.StopDirective.
	Directive actor.Directive
	// Delay is how long after the failure the restart happens.
	Delay time.Duration
	// Recent is the number of earlier failures within Window.
	Recent int
	// Why says, for a stop, why: ErrPermanent's text or the budget.
	Why string
}

// Restart reports whether the decision is to restart the child.
func (d Decision) Restart() bool { return d.Directive == actor.RestartDirective }

// Decide is the pure part of the strategy: what to do about a failure with
// reason after recent earlier failures within the window.
func (s *RestartWithBackoff) Decide(recent int, reason any) Decision {
	switch {
	case Decide(reason) == actor.StopDirective:
		return Decision{Directive: actor.StopDirective, Recent: recent, Why: "permanent failure"}
	case s.MaxRestarts > 0 && recent >= s.MaxRestarts:
		return Decision{
			Directive: actor.StopDirective, Recent: recent,
			Why: fmt.Sprintf("restart budget exhausted: %d restarts within %v", recent, s.Window),
		}
	default:
		return Decision{Directive: actor.RestartDirective, Recent: recent, Delay: s.Backoff.Delay(recent)}
	}
}

// HandleFailure implements actor.SupervisorStrategy.
func (s *RestartWithBackoff) HandleFailure(sys *actor.ActorSystem, sup actor.Supervisor,
	child *actor.PID, rs *actor.RestartStatistics, reason, _ any,
) {
	s.Handle(sys, sup, child, rs, reason)
}

// Handle applies the strategy to one failure and returns what it decided.
// A parent that implements actor.SupervisorStrategy itself (to keep stats,
// or to fail over) calls it from its own HandleFailure. It runs on the
// parent's goroutine; the delayed restart is a timer that only sends the
// child a system message, and a child that has stopped by then ignores it.
func (s *RestartWithBackoff) Handle(sys *actor.ActorSystem, sup actor.Supervisor,
	child *actor.PID, rs *actor.RestartStatistics, reason any,
) Decision {
	d := s.Decide(rs.NumberOfFailures(s.Window), reason)
	log := sys.Logger()
	if !d.Restart() {
		log.Warn("supervision: child stopped", slog.String("child", child.Id),
			slog.String("why", d.Why), slog.Any("reason", reason))
		sup.StopChildren(child)
		return d
	}
	rs.Fail()
	log.Info("supervision: child restarting", slog.String("child", child.Id),
		slog.Duration("in", d.Delay), slog.Any("reason", reason))
	if d.Delay <= 0 {
		sup.RestartChildren(child)
	} else {
		time.AfterFunc(d.Delay, func() { sup.RestartChildren(child) })
	}
	return d
}
