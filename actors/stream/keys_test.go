package stream_test

import (
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/actors/config"
	"streamhive/actors/input"
	"streamhive/actors/stream"
	"streamhive/media"
	"streamhive/media/drm"
	"streamhive/media/mediatest"
	"streamhive/protocols/cpix/cpixtest"
)

func spawnProtected(t *testing.T, cfg config.Stream) (*atomic.Pointer[stream.Status], *actor.ActorSystem, *actor.PID) {
	t.Helper()
	sys := actor.NewActorSystem()
	status := new(atomic.Pointer[stream.Status])
	pid := sys.Root.Spawn(stream.Props(stream.Config{
		Stream:  cfg,
		Input:   func(s stream.InputSpec) *actor.Props { return input.Props(input.Config{Spec: s}) },
		Status:  status,
		Preview: noPreview,
	}))
	t.Cleanup(func() { _ = sys.Root.StopFuture(pid).Wait() })
	mediatest.WaitFor(t, 5*time.Second, "the stream's status", func() bool { return status.Load() != nil })
	return status, sys, pid
}

func noPreview(media.Track, *media.Frame) ([]byte, error) { return nil, errors.New("no preview") }

// TestProtectedStreamHasKeys: a stream with a drm line runs a key actor;
// its playback gives the outputs the keys, its stats the key server's
// state; the line removed, the stream is no longer protected.
func TestProtectedStreamHasKeys(t *testing.T) {
	ks := cpixtest.New("seed")
	defer ks.Close()
	cfg := config.Stream{Name: "tv"}
	cfg.DRM = &config.DRM{Vendor: "cpix", Keyserver: ks.URL + "/cpix"}
	status, sys, pid := spawnProtected(t, cfg)

	src, ok := status.Load().Playback.KeySource()
	if !ok {
		t.Fatal("a stream with a drm line is not protected")
	}
	mediatest.WaitFor(t, 5*time.Second, "keys", func() bool {
		d := status.Load().Stats(time.Now()).DRM
		return d != nil && d.Error == "" && d.Serving
	})
	if k, err := src.KeyAt(time.Now()); err != nil || k.Key != ks.KeyFor("tv", k.KID) {
		t.Fatalf("key: %v", err)
	}

	cfg.DRM = nil
	sys.Root.Send(pid, &stream.Update{Config: cfg})
	mediatest.WaitFor(t, 5*time.Second, "unprotected", func() bool {
		_, ok := status.Load().Playback.KeySource()
		return !ok && status.Load().Stats(time.Now()).DRM == nil
	})
}

// TestProtectedStreamKeyServerDownAtStart: the key server's failure is in
// the stream's stats, and its outputs get no key (fail closed).
func TestProtectedStreamKeyServerDownAtStart(t *testing.T) {
	ks := cpixtest.New("seed")
	defer ks.Close()
	ks.SetDown(true)
	cfg := config.Stream{Name: "tv"}
	cfg.DRM = &config.DRM{Vendor: "cpix", Keyserver: ks.URL + "/cpix?clientToken=SECRET", Expires: 1}
	status, _, _ := spawnProtected(t, cfg)
	mediatest.WaitFor(t, 5*time.Second, "the failure in the stats", func() bool {
		d := status.Load().Stats(time.Now()).DRM
		return d != nil && strings.Contains(d.Error, "HTTP 503") && !d.Serving
	})
	if d := status.Load().Stats(time.Now()).DRM; strings.Contains(d.Error, "SECRET") {
		t.Error("the key server's token reached the stats")
	}
	src, _ := status.Load().Playback.KeySource()
	if _, err := src.KeyAt(time.Now()); !errors.Is(err, drm.ErrUnavailable) {
		t.Errorf("down at start: %v", err)
	}
}
