package server_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"streamhive/actors/config"
	"streamhive/actors/kit/kittest"
	"streamhive/actors/server"
	"streamhive/media/mediatest"
	"streamhive/protocols/cpix/cpixtest"
)

// startProtected runs the server on conf (parsed; Start checks the drm
// lines' files).
func startProtected(t *testing.T, conf string) (*server.Server, error) {
	t.Helper()
	cfg, err := config.Parse("test.conf", []byte(conf))
	if err != nil {
		t.Fatal(err)
	}
	s, err := server.Start(server.Options{Config: cfg, Logger: kittest.Logger(t), Listen: memListen, NoSRT: true})
	if err == nil {
		t.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			_ = s.Stop(ctx)
		})
	}
	return s, err
}

// TestServerKeySource: the gateway reaches a protected stream's keys by
// its name (a template's stream too); a stream without DRM is not
// protected.
func TestServerKeySource(t *testing.T) {
	ks := cpixtest.New("seed")
	defer ks.Close()
	s, err := startProtected(t, "template tpl {\n  prefix live;\n  input publish://;\n  drm cpix keyserver="+ks.URL+"/cpix;\n}\n"+
		"stream tv {\n  input publish://;\n  drm cpix keyserver="+ks.URL+"/cpix;\n}\nstream plain {\n  input publish://;\n}\n")
	if err != nil {
		t.Fatal(err)
	}
	if _, protected := s.KeySource("plain"); protected {
		t.Error("plain is protected")
	}
	if _, protected := s.KeySource("nothing"); protected {
		t.Error("an unknown stream is protected")
	}
	if _, protected := s.KeySource("tv"); !protected {
		t.Fatal("tv is not protected")
	}
	// Asked again each time: until tv's actor runs, its source is one that
	// fails closed (noKeys), not the key actor's.
	mediatest.WaitFor(t, 5*time.Second, "tv's key", func() bool {
		src, _ := s.KeySource("tv")
		_, err := src.KeyAt(time.Now())
		return err == nil
	})
	st, _ := s.Stats("tv")
	if st.DRM == nil || st.DRM.Error != "" || !st.DRM.Serving {
		t.Errorf("tv's stats: %+v", st.DRM)
	}
}

// TestServerRefusesUnreadableDeliveryIdentity: a drm line whose
// end_user_cert= or end_user_private_key= cannot be read refuses the
// configuration at the option's position.
func TestServerRefusesUnreadableDeliveryIdentity(t *testing.T) {
	r, err := cpixtest.NewRecipient()
	if err != nil {
		t.Fatal(err)
	}
	certPEM, _ := cpixtest.RecipientPEM(r)
	cert := filepath.Join(t.TempDir(), "cert.pem")
	if err := os.WriteFile(cert, certPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = startProtected(t, "stream tv {\n  input publish://;\n  drm cpix keyserver=http://127.0.0.1:1/cpix end_user_cert="+cert+
		" end_user_private_key=/nonexistent/key.pem;\n}\n")
	if !errors.Is(err, config.ErrInvalid) || !strings.Contains(err.Error(), "test.conf:3:") ||
		!strings.Contains(err.Error(), "/nonexistent/key.pem") {
		t.Fatalf("got %v", err)
	}
}
