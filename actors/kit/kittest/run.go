// Package kittest runs actors under test: Run gives each test a fresh actor
// system inside a testing/synctest bubble, and Probe is a parent that
// records what its children send it.
package kittest

import (
	"log/slog"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/actors/kit"
)

// Run runs f in a synctest bubble with a fresh actor system whose logs go to
// t.Log. Time in the bubble is fake: timers and backoffs fire as soon as
// every goroutine in the bubble is blocked, so a test that waits an hour
// takes milliseconds, and synctest.Wait() is the only synchronisation
// needed. Stop what you spawn (a Probe stops its children at cleanup): a
// goroutine that outlives the bubble fails the test, which makes Run a leak
// detector too.
func Run(t *testing.T, f func(t *testing.T, sys *actor.ActorSystem)) {
	t.Helper()
	synctest.Test(t, func(t *testing.T) {
		sys := kit.NewSystem(Logger(t))
		// Registered first, so it runs after the test's own cleanups
		// (LIFO): protoactor starts timers of its own (dead-letter
		// throttling), and they must fire before the bubble can end.
		t.Cleanup(func() {
			sys.Shutdown()
			time.Sleep(time.Minute)
			synctest.Wait()
		})
		f(t, sys)
	})
}

// Logger returns a logger that writes to t.Log at debug level.
func Logger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Helper()
	w.t.Log(strings.TrimSuffix(string(p), "\n"))
	return len(p), nil
}
