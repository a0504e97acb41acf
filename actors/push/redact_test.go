package push

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"streamhive/actors/config"
	"streamhive/actors/kit"
	"streamhive/actors/kit/kittest"
	"streamhive/media/hub"
	"streamhive/media/mediatest"
)

// TestFailureLogsNoSecret: a sender whose error quotes the whole URL (as
// libraries do) leaves neither the stream key nor the password in the log
// or in last_error, which view-only API users read.
func TestFailureLogsNoSecret(t *testing.T) {
	const key, pass = "streamkey-1234", "hunter22"
	url := "rtmp://u:" + pass + "@ingest/live/" + key + "?passphrase=" + pass
	var logs mediatest.LogBuffer
	synctest.Test(t, func(t *testing.T) {
		sys := kit.NewSystem(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
		defer func() { sys.Shutdown(); time.Sleep(time.Minute); synctest.Wait() }()
		h := hub.New(hub.Options{})
		defer h.Close()
		stats := NewStats("cam1/1", Redact(url))
		failing := func(_ context.Context, u string, _ map[string]string, _ Source, _ *atomic.Uint64) error {
			return fmt.Errorf("dial %q: refused (key %s)", u, key)
		}
		probe := kittest.NewProbe(t, sys)
		pid := probe.SpawnChild(Props(Config{
			Stream: "cam1", ID: "cam1/1", Push: config.Push{URL: url, RetryLimit: 1}, Stats: stats, Backoff: time.Second,
			Senders:   map[string]Sender{"rtmp": failing},
			Subscribe: func() (*hub.Consumer, error) { return h.Subscribe(), nil },
		}))
		defer sys.Root.Stop(pid)
		time.Sleep(time.Hour)
		synctest.Wait()
		last := stats.Snapshot().LastError
		if !strings.Contains(last, "refused") {
			t.Fatalf("last_error %q: the sender's error was not recorded", last)
		}
		for _, s := range []string{key, pass} {
			if strings.Contains(logs.String(), s) || strings.Contains(last, s) || strings.Contains(stats.URL, s) {
				t.Errorf("%q leaks: last_error %q, url %q, log:\n%s", s, last, stats.URL, logs.String())
			}
		}
	})
}
