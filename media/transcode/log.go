package transcode

import (
	"context"
	"log/slog"
	"strings"
	"sync"

	"github.com/asticode/go-astiav"
)

var routeLogsOnce sync.Once

// routeLogs sends FFmpeg's log, which is process-wide and writes to stderr
// by default, to slog: errors as Warn (the caller reports what failed),
// warnings as Debug (x264 and the filters warn about harmless things).
// Levels below warning are not formatted at all.
func routeLogs() {
	routeLogsOnce.Do(func() {
		astiav.SetLogLevel(astiav.LogLevelWarning)
		astiav.SetLogCallback(func(_ astiav.Classer, l astiav.LogLevel, _, msg string) {
			level := slog.LevelDebug
			if l <= astiav.LogLevelError {
				level = slog.LevelWarn
			}
			slog.Log(context.Background(), level, "ffmpeg: "+strings.TrimSpace(msg))
		})
	})
}
