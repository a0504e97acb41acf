package push

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/actors/config"
	"streamhive/actors/kit/kittest"
	"streamhive/media"
	"streamhive/media/hub"
)

// fakeSender fails its first `failures` calls at once; later calls count
// bytes and hold the connection until they are cancelled.
type fakeSender struct {
	failures int
	calls    atomic.Int32
}

var errRefused = errors.New("connection refused")

func (f *fakeSender) send(ctx context.Context, _ string, _ map[string]string, _ Source, sent *atomic.Uint64) error {
	if int(f.calls.Add(1)) <= f.failures {
		return errRefused
	}
	sent.Add(1000)
	<-ctx.Done()
	return ctx.Err()
}

func spawnTarget(t *testing.T, sys *actor.ActorSystem, p config.Push, s *fakeSender) *Stats {
	t.Helper()
	h := hub.New(hub.Options{})
	t.Cleanup(h.Close)
	stats := NewStats("cam1/1", p.URL)
	probe := kittest.NewProbe(t, sys)
	pid := probe.SpawnChild(Props(Config{
		Stream: "cam1", ID: "cam1/1", Push: p, Stats: stats, Backoff: time.Second,
		Senders:   map[string]Sender{"fake": s.send},
		Subscribe: func() (*hub.Consumer, error) { return h.Subscribe(), nil },
	}))
	t.Cleanup(func() { sys.Root.Stop(pid) })
	return stats
}

func TestRetryLimitStopsTheTarget(t *testing.T) {
	kittest.Run(t, func(t *testing.T, sys *actor.ActorSystem) {
		s := &fakeSender{failures: 1000}
		stats := spawnTarget(t, sys, config.Push{URL: "fake://x", RetryLimit: 2}, s)

		time.Sleep(time.Hour)
		synctest.Wait()
		// The first session and two retries, then no more.
		if got := s.calls.Load(); got != 3 {
			t.Fatalf("sessions = %d, want 3", got)
		}
		snap := stats.Snapshot()
		if snap.State != StateError || snap.Errors != 3 || snap.Reconnects != 2 || snap.LastError != errRefused.Error() {
			t.Fatalf("stats = %+v, want error, 3 errors, 2 reconnects", snap)
		}
	})
}

func TestReconnectsWithBackoffAndRuns(t *testing.T) {
	kittest.Run(t, func(t *testing.T, sys *actor.ActorSystem) {
		s := &fakeSender{failures: 3}
		stats := spawnTarget(t, sys, config.Push{URL: "fake://x"}, s)

		// Retries after [0.5,1), [1,2) and [2,4) s: three failures take
		// under 7 s, and the fourth session holds.
		time.Sleep(500 * time.Millisecond)
		synctest.Wait()
		if got := stats.State(); got != StateRetry {
			t.Fatalf("after the first failure: state %q, want retry", got)
		}
		time.Sleep(7 * time.Second)
		synctest.Wait()
		snap := stats.Snapshot()
		if s.calls.Load() != 4 || snap.State != StateRunning || snap.Reconnects != 3 || snap.Bytes != 1000 {
			t.Fatalf("sessions %d, stats %+v: want 4 sessions, running, 3 reconnects, 1000 bytes", s.calls.Load(), snap)
		}
	})
}

func TestUnknownSchemeIsPermanent(t *testing.T) {
	kittest.Run(t, func(t *testing.T, sys *actor.ActorSystem) {
		s := &fakeSender{}
		stats := spawnTarget(t, sys, config.Push{URL: "gopher://x"}, s)
		time.Sleep(time.Hour)
		synctest.Wait()
		if snap := stats.Snapshot(); snap.State != StateError || snap.Errors != 1 || s.calls.Load() != 0 {
			t.Fatalf("stats = %+v after %d sends, want error after one failure", snap, s.calls.Load())
		}
	})
}

// readingSender reads its source like a real sender: the first frame's
// error ends the session.
func readingSender(ctx context.Context, _ string, _ map[string]string, src Source, _ *atomic.Uint64) error {
	_, err := src.Read(ctx)
	return err
}

func TestMissingTrackShowsInStats(t *testing.T) {
	kittest.Run(t, func(t *testing.T, sys *actor.ActorSystem) {
		h := hub.New(hub.Options{})
		t.Cleanup(h.Close)
		h.SetTracks(ladder)
		h.NewWriter().WriteFrame(&media.Frame{Track: 0, Keyframe: true})
		p := config.Push{URL: "fake://x", Options: map[string]string{"tracks": "v3"}}
		stats := NewStats("cam1/1", p.URL)
		probe := kittest.NewProbe(t, sys)
		pid := probe.SpawnChild(Props(Config{
			Stream: "cam1", ID: "cam1/1", Push: p, Stats: stats, Backoff: time.Second,
			Senders:   map[string]Sender{"fake": readingSender},
			Subscribe: func() (*hub.Consumer, error) { return h.Subscribe(), nil },
		}))
		t.Cleanup(func() { sys.Root.Stop(pid) })

		time.Sleep(1500 * time.Millisecond)
		synctest.Wait()
		// Retried (the stream's next source may have the track), and
		// the reason is in the stats.
		snap := stats.Snapshot()
		if snap.State != StateRetry || snap.Errors < 2 || !strings.Contains(snap.LastError, "the stream has no such track: tracks=v3 names v3; the stream has v1 v2 a1") {
			t.Fatalf("stats = %+v, want retry with the missing track as last error", snap)
		}
	})
}

func TestRedact(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"rtmp://a.b:1935/live/secretkey", "rtmp://a.b:1935/live/***"},
		{"srt://h:9000?streamid=x&passphrase=p", "srt://h:9000?streamid=***&passphrase=***"},
		{"rtmp://u:pw@a.b/live/k?x=1", "rtmp://u:***@a.b/live/***?x=1"},
		{"udp://239.0.0.1:1234", "udp://239.0.0.1:1234"},
	} {
		if got := Redact(c.in); got != c.want {
			t.Errorf("Redact(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
