package kit

import (
	"log/slog"

	"github.com/asynkron/protoactor-go/actor"
)

// NewSystem returns an actor system whose own logging (dead letters,
// supervision, restarts) goes to logger with the attribute system=actors,
// instead of protoactor's coloured text on stderr. A nil logger means
// slog.Default(). protoactor's OpenTelemetry metrics stay off: StreamHive
// exports its metrics through VictoriaMetrics.
func NewSystem(logger *slog.Logger, opts ...actor.ConfigOption) *actor.ActorSystem {
	opts = append([]actor.ConfigOption{actor.WithLoggerFactory(LoggerFactory(logger))}, opts...)
	return actor.NewActorSystem(opts...)
}

// LoggerFactory returns a protoactor logger factory that logs to logger
// (slog.Default() when nil).
func LoggerFactory(logger *slog.Logger) func(*actor.ActorSystem) *slog.Logger {
	return func(*actor.ActorSystem) *slog.Logger {
		l := logger
		if l == nil {
			l = slog.Default()
		}
		return l.With(slog.String("system", "actors"))
	}
}
