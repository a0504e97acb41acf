package supervision

import (
	"errors"

	"github.com/asynkron/protoactor-go/actor"
)

// Permanent wraps an error that restarting cannot fix: a URL scheme nobody
// can pull, rejected credentials, an unsupported codec. A child that fails
// with it is stopped instead of restarted.
type Permanent struct{ Err error }

// Error implements error.
func (e *Permanent) Error() string {
	if e.Err == nil {
		return "permanent failure"
	}
	return e.Err.Error()
}

// Unwrap returns the wrapped error.
func (e *Permanent) Unwrap() error { return e.Err }

// IsPermanent reports whether err is, or wraps, a *Permanent.
func IsPermanent(err error) bool {
	var p *Permanent
	return errors.As(err, &p)
}

// Decide maps a child's failure reason (the error given to kit.Fail, or a
// recovered panic value) to a directive: stop on a Permanent error, restart
// on anything else. A panic value that is not an error restarts: a broken
// invariant may well hold again in a fresh instance, and the restart budget
// catches the ones that do not.
func Decide(reason any) actor.Directive {
	if err, ok := reason.(error); ok && IsPermanent(err) {
		return actor.StopDirective
	}
	return actor.RestartDirective
}
