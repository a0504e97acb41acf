package rtmp

import (
	"context"
	"io"
	"log/slog"
	"regexp"

	"github.com/sirupsen/logrus"
)

// newLogrus returns a logrus logger whose entries go to l. go-rtmp logs
// every state change at Info and every dropped connection at Error, so
// levels step down: its Error becomes our Debug unless it matters to an
// operator, which our own log lines cover with better attributes.
func newLogrus(l *slog.Logger) *logrus.Logger {
	lr := logrus.New()
	lr.Out = io.Discard
	lr.SetLevel(logrus.PanicLevel)
	if l.Enabled(context.Background(), slog.LevelDebug) {
		lr.SetLevel(logrus.DebugLevel)
		lr.AddHook(slogHook{l})
	}
	return lr
}

// slogHook forwards logrus entries to slog at debug level.
type slogHook struct{ l *slog.Logger }

func (slogHook) Levels() []logrus.Level { return logrus.AllLevels }

func (h slogHook) Fire(e *logrus.Entry) error {
	attrs := make([]slog.Attr, 0, len(e.Data)+1)
	attrs = append(attrs, slog.String("lib_level", e.Level.String()))
	for k, v := range e.Data {
		attrs = append(attrs, slog.Any(k, v))
	}
	h.l.LogAttrs(context.Background(), slog.LevelDebug, "go-rtmp: "+scrubLibMessage(e.Message), attrs...)
	return nil
}

// go-rtmp's messages quote the commands it handles: the connect command's
// tcUrl (which may carry ?password=) and the stream names of releaseStream
// and FCPublish (which, under rtmp://HOST/NAME, are the encoder's secret
// stream key). Secrets never reach our logs, so both are masked.
var (
	libQuerySecret = regexp.MustCompile(`(?i)\b(password|passwd|pass|pwd|passphrase|secret|token|key|stream_?key|auth|sign|signature)=[^&\s"',)}]*`)
	libStreamName  = regexp.MustCompile(`(StreamName|PublishingName)(\s*[=:]\s*"?)[^\s",}]*`)
)

func scrubLibMessage(m string) string {
	m = libQuerySecret.ReplaceAllString(m, "$1=***")
	return libStreamName.ReplaceAllString(m, "$1$2***")
}
