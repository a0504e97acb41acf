package keys

import (
	"context"
	"errors"
	"os"
	"path/filepath"
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

// TestKeyActorNoRotationServerDownIsReported: a key that never rotates is
// held for good, so no refresh would ask the key server again; the
// actor's check does, and the status says the server is failing while
// the held key still protects (Serving), then its return.
func TestKeyActorNoRotationServerDownIsReported(t *testing.T) {
	ks := cpixtest.New("seed")
	defer ks.Close()
	bus := events.New(events.Options{})
	defer bus.Close()
	spec := Spec{
		Stream: "tv", Bus: bus, Refresh: 20 * time.Millisecond, Check: 50 * time.Millisecond,
		DRM: &config.DRM{Vendor: "cpix", Keyserver: ks.URL + "/cpix"},
	}
	h := NewHandle(spec)
	sys := actor.NewActorSystem()
	pid := sys.Root.Spawn(Props(spec, h))
	defer func() { _ = sys.Root.StopFuture(pid).Wait() }()
	mediatest.WaitFor(t, 5*time.Second, "keys", func() bool { st := h.Status(); return st.Err == "" && st.Serving })

	ks.SetDown(true)
	mediatest.WaitFor(t, 5*time.Second, "the failure in the status", func() bool {
		return strings.Contains(h.Status().Err, "HTTP 503")
	})
	if !h.Status().Serving {
		t.Error("the held key stopped protecting while the server is down")
	}
	if _, err := h.KeySource().KeyAt(time.Now()); err != nil {
		t.Errorf("held key: %v", err)
	}
	mediatest.WaitFor(t, 5*time.Second, "drm_keys_failed", func() bool { return hasEvent(bus, events.DRMKeysFailed) })
	ks.SetDown(false)
	mediatest.WaitFor(t, 5*time.Second, "recovery", func() bool { return h.Status().Err == "" })
}

// TestKeyActorDeliveryIdentity: with end_user_cert= and
// end_user_private_key= the request carries our certificate and the
// content keys come encrypted for it; unreadable files are refused with
// the option at fault, and a handle whose files vanished fails closed.
func TestKeyActorDeliveryIdentity(t *testing.T) {
	ks := cpixtest.New("seed")
	defer ks.Close()
	r, err := cpixtest.NewRecipient()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certPEM, keyPEM := cpixtest.RecipientPEM(r)
	cert, key := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(cert, certPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(key, keyPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	d := &config.DRM{Vendor: "cpix", Keyserver: ks.URL + "/cpix", EndUserCert: cert, EndUserPrivateKey: key}
	h := NewHandle(Spec{Stream: "tv", DRM: d})
	if err := h.src.Refresh(context.Background(), time.Now()); err != nil {
		t.Fatal(err)
	}
	req := ks.Requests()[0]
	if req.Delivery == nil || len(req.Delivery.Items) != 1 {
		t.Fatalf("the request carries no delivery certificate: %+v", req.Delivery)
	}
	k, err := h.KeySource().KeyAt(time.Now())
	if err != nil || k.Key != ks.KeyFor("tv", k.KID) {
		t.Fatalf("encrypted keys: %v", err)
	}

	missing := *d
	missing.EndUserPrivateKey = filepath.Join(dir, "nope.pem")
	if _, opt, err := Recipient(&missing); err == nil || opt != "end_user_private_key" {
		t.Errorf("missing key file: %q %v", opt, err)
	}
	h = NewHandle(Spec{Stream: "tv", DRM: &missing})
	if err := h.src.Refresh(context.Background(), time.Now()); err == nil {
		t.Error("a handle without its delivery identity fetched keys")
	}
	if _, err := h.KeySource().KeyAt(time.Now()); !errors.Is(err, drm.ErrUnavailable) {
		t.Errorf("fail closed: %v", err)
	}
}
