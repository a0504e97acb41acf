package keys

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/actors/config"
	"streamhive/actors/events"
	"streamhive/media/drm"
	"streamhive/media/mediatest"
	"streamhive/protocols/cpix/cpixtest"
)

func hasEvent(bus *events.Bus, name string) bool {
	for _, e := range bus.Recent(0, 100) {
		if e.Event == name && e.Media == "tv" {
			return true
		}
	}
	return false
}

// TestKeyActorDownAtStartThenRecovers: with the key server down the
// stream's outputs get no key (fail closed) and its status, log and events
// say why; when the server returns, keys come without a restart.
func TestKeyActorDownAtStartThenRecovers(t *testing.T) {
	ks := cpixtest.New("seed")
	defer ks.Close()
	ks.SetDown(true)
	bus := events.New(events.Options{})
	defer bus.Close()
	spec := Spec{
		Stream: "tv", Bus: bus, Refresh: 50 * time.Millisecond, Period: time.Minute,
		DRM: &config.DRM{Vendor: "cpix", Keyserver: ks.URL + "/cpix?clientToken=SECRET"},
	}
	h := NewHandle(spec)
	sys := actor.NewActorSystem()
	pid := sys.Root.Spawn(Props(spec, h))
	defer func() { _ = sys.Root.StopFuture(pid).Wait() }()

	mediatest.WaitFor(t, 5*time.Second, "the failure in the status", func() bool {
		return strings.Contains(h.Status().Err, "HTTP 503")
	})
	if strings.Contains(h.Status().Err, "SECRET") {
		t.Error("the key server's token reached the status")
	}
	if _, err := h.KeySource().KeyAt(time.Now()); !errors.Is(err, drm.ErrUnavailable) {
		t.Errorf("down at start: %v", err)
	}
	mediatest.WaitFor(t, 5*time.Second, "drm_keys_failed", func() bool { return hasEvent(bus, events.DRMKeysFailed) })

	ks.SetDown(false)
	mediatest.WaitFor(t, 5*time.Second, "recovery", func() bool { return h.Status().Err == "" })
	k, err := h.KeySource().KeyAt(time.Now())
	if err != nil || k.Key != ks.KeyFor("tv", k.KID) {
		t.Fatalf("after recovery: %v", err)
	}
	if _, err := h.KeySource().KeyAt(time.Now().Add(time.Minute)); err != nil {
		t.Errorf("the next period's key was not fetched ahead: %v", err)
	}
	mediatest.WaitFor(t, 5*time.Second, "drm_keys_ready", func() bool { return hasEvent(bus, events.DRMKeysReady) })
}
