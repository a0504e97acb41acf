package pionrtc

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/pion/logging"
)

// pionLogs routes pion's loggers into slog: its errors at info (they are
// about one peer, not the server), everything else at debug. Trace is
// dropped.
type pionLogs struct {
	log    *slog.Logger
	prefix string
}

// NewLogger implements logging.LoggerFactory.
func (f pionLogs) NewLogger(scope string) logging.LeveledLogger {
	return pionLogger{f.log.With(slog.String("pion", scope)), f.prefix}
}

type pionLogger struct {
	log    *slog.Logger
	prefix string
}

func (l pionLogger) emit(level slog.Level, msg string) {
	l.log.Log(context.Background(), level, l.prefix+": "+msg)
}

// emitf formats only what will be written.
func (l pionLogger) emitf(level slog.Level, format string, args []any) {
	if l.log.Enabled(context.Background(), level) {
		l.emit(level, fmt.Sprintf(format, args...))
	}
}

func (pionLogger) Trace(string)          {}
func (pionLogger) Tracef(string, ...any) {}

func (l pionLogger) Debug(msg string) { l.emit(slog.LevelDebug, msg) }
func (l pionLogger) Debugf(format string, args ...any) {
	l.emitf(slog.LevelDebug, format, args)
}
func (l pionLogger) Info(msg string) { l.emit(slog.LevelDebug, msg) }
func (l pionLogger) Infof(format string, args ...any) {
	l.emitf(slog.LevelDebug, format, args)
}
func (l pionLogger) Warn(msg string) { l.emit(slog.LevelDebug, msg) }
func (l pionLogger) Warnf(format string, args ...any) {
	l.emitf(slog.LevelDebug, format, args)
}
func (l pionLogger) Error(msg string) { l.emit(slog.LevelInfo, msg) }
func (l pionLogger) Errorf(format string, args ...any) {
	l.emitf(slog.LevelInfo, format, args)
}
