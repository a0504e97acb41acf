package server_test

import (
	"context"
	"errors"
	"net/netip"
	"os"
	"path/filepath"
	"testing"
	"testing/synctest"
	"time"

	"streamhive/actors/auth"
	"streamhive/actors/auth/authtest"
	"streamhive/actors/config"
	"streamhive/actors/server"
)

const protectedConf = `
http 8080;

stream a {
  input publish://;
  on_play securetoken://k1;
}

stream b {
  input publish://;
}
`

// playsWith reports whether stream a's play policy admits a secure link
// signed with secret.
func playsWith(t *testing.T, s *server.Server, secret string) bool {
	t.Helper()
	p := s.Policies().Play("a")
	if p == nil {
		t.Fatal("stream a is not protected")
	}
	ip := netip.MustParseAddr("192.0.2.1")
	tok := authtest.SecureLink{
		Name: "a", IP: ip.String(), Secret: secret, Salt: "x",
		Start: time.Now().Add(-time.Minute), End: time.Now().Add(time.Hour),
	}.Token()
	return p.Check(context.Background(), auth.Request{Name: "a", IP: ip, Token: tok}).Allowed()
}

// TestPoliciesFollowTheRunningConfig: the Book is the running snapshot's,
// kept while the snapshot stays, replaced with it; a write or a reload
// whose protection cannot be built is refused and changes nothing.
func TestPoliciesFollowTheRunningConfig(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		path := writeConf(t, protectedConf)
		s := startServer(t, server.Options{ConfigPath: path})
		if s.Policies().Play("b") != nil || s.Policies().Publish("a") != nil {
			t.Error("unprotected directions got a policy")
		}
		if !playsWith(t, s, "k1") || playsWith(t, s, "k2") {
			t.Fatal("stream a does not check its secure links")
		}
		book := s.Policies()
		if s.Policies() != book {
			t.Error("the Book was rebuilt without a configuration change")
		}
		ctx := context.Background()
		err := s.Apply(ctx, config.PutStream{Name: "a", Patch: []byte(`{"on_play":{"url":"auth://missing"}}`)})
		if !errors.Is(err, config.ErrInvalid) {
			t.Errorf("a write naming a missing auth_backend = %v, want ErrInvalid", err)
		}
		if err := os.WriteFile(path, []byte("stream a { input publish://; on_play /etc/flussonic/auth.lua; }"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := s.Reload(ctx); !errors.Is(err, config.ErrInvalid) {
			t.Errorf("a reload to a Lua backend = %v, want ErrInvalid", err)
		}
		if s.Policies() != book {
			t.Error("a refused change replaced the Book")
		}
		if err := s.Apply(ctx, config.PutStream{Name: "a", Patch: []byte(`{"on_play":{"url":"securetoken://k2"}}`)}); err != nil {
			t.Fatal(err)
		}
		if playsWith(t, s, "k1") || !playsWith(t, s, "k2") {
			t.Error("the Book did not follow the write")
		}
	})
}

func TestStartRefusesProtectionThatCannotWork(t *testing.T) {
	junk := filepath.Join(t.TempDir(), "GeoLite2-Country.mmdb")
	if err := os.WriteFile(junk, []byte("not a database"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := server.Load(writeConf(t, confText))
	if err != nil {
		t.Fatal(err)
	}
	cfg.GeoIP = junk
	if _, err := server.Start(server.Options{Config: cfg, Listen: memListen, NoSRT: true}); !errors.Is(err, config.ErrInvalid) {
		t.Errorf("Start with a broken geoip = %v, want ErrInvalid", err)
	}
	if _, err := server.Load(writeConf(t, "stream a { input publish://; on_play auth://nope; }")); !errors.Is(err, config.ErrInvalid) {
		t.Errorf("Load of an on_play naming no auth_backend = %v, want ErrInvalid", err)
	}
}
