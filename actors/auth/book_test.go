package auth

import (
	"context"
	"errors"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"streamhive/actors/auth/authtest"
	"streamhive/actors/config"
)

func newBook(t *testing.T, cfg *config.Server) *Book {
	t.Helper()
	b, err := NewBook(cfg, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// checkOf is the Reason of p's decision on r, "unprotected" for no policy.
func checkOf(p Policy, r Request) string {
	if p == nil {
		return "unprotected"
	}
	return p.Check(context.Background(), r).Reason
}

func TestBookInheritance(t *testing.T) {
	spec := func(domain string) *config.AuthSpec { return &config.AuthSpec{Domains: []string{domain}} }
	cfg := &config.Server{
		Templates: []config.Template{
			{Name: "sports", Prefixes: []string{"sports/"}, MediaOptions: config.MediaOptions{OnPlay: spec("tpl.com"), Password: "tplpw"}},
			{Name: "bare", Prefixes: []string{"bare/"}},
		},
		Streams: []config.Stream{
			{Name: "own", MediaOptions: config.MediaOptions{OnPlay: spec("own.com"), OnPublish: spec("pub.com"), Password: "ownpw"}},
			{Name: "sports/a"},
			{Name: "named", Template: "sports", MediaOptions: config.MediaOptions{Password: "namedpw"}},
			{Name: "bare/b"},
			{Name: "plain"},
		},
		Protection: config.Protection{OnPlay: spec("server.com")},
	}
	b := newBook(t, cfg)
	allowedBy := func(p Policy, host string) bool {
		return p != nil && p.Check(context.Background(), Request{Referer: "http://" + host + "/"}).Allowed()
	}
	plays := map[string]string{
		"own": "own.com", "sports/a": "tpl.com", "named": "tpl.com", "bare/b": "server.com", "plain": "server.com",
		"sports/published-later": "tpl.com", "unknown": "server.com",
	}
	for name, host := range plays {
		p := b.Play(name)
		if !allowedBy(p, host) || allowedBy(p, "elsewhere.com") {
			t.Errorf("Play(%q) is not the policy of %s", name, host)
		}
	}
	pw := func(stream, password string) string {
		return checkOf(b.Publish(stream), Request{Publish: true, Password: password})
	}
	if got := pw("own", "ownpw"); got != "referer not allowed" && got != "checks passed" {
		t.Errorf("own publish with its password: %s", got)
	}
	if got := pw("own", "tplpw"); got != "password mismatch" {
		t.Errorf("own publish with another password: %s", got)
	}
	if got := pw("sports/a", "tplpw"); got != "checks passed" {
		t.Errorf("template password: %s", got)
	}
	if got := pw("sports/new", "tplpw"); got != "checks passed" {
		t.Errorf("template password for an unconfigured name: %s", got)
	}
	if got := pw("named", "namedpw"); got != "checks passed" {
		t.Errorf("stream password over template's: %s", got)
	}
	for _, name := range []string{"plain", "bare/b", "unknown"} {
		if p := b.Publish(name); p != nil {
			t.Errorf("Publish(%q) = %v, want nil (unprotected)", name, p)
		}
	}
}

func TestBookOfAnOpenServerIsNil(t *testing.T) {
	b := newBook(t, &config.Server{Streams: []config.Stream{{Name: "a"}}})
	if b.Play("a") != nil || b.Publish("a") != nil || b.Play("zzz") != nil {
		t.Error("an unprotected configuration hands out policies")
	}
}

func TestBookSharesPoliciesAndRuleSets(t *testing.T) {
	be := authtest.NewBackend(t)
	be.Set("ok", authtest.Allow())
	cfg := &config.Server{
		Streams: []config.Stream{{Name: "a"}, {Name: "b"}, {Name: "c", MediaOptions: config.MediaOptions{OnPlay: &config.AuthSpec{URL: "auth://main"}}}},
		Protection: config.Protection{
			OnPlay:       &config.AuthSpec{URL: be.URL},
			AuthBackends: []config.AuthBackend{{Name: "main", Backends: []config.AuthBackendURL{{URL: be.URL}}}},
		},
	}
	b := newBook(t, cfg)
	if b.Play("a") != b.Play("b") {
		t.Error("two streams inheriting the server's on_play got two policies")
	}
	for _, s := range []string{"a", "c"} {
		if d := b.Play(s).Check(context.Background(), Request{Name: s, Token: "ok"}); !d.Allowed() {
			t.Errorf("%s: %+v", s, d)
		}
	}
}

func TestNewBookRefusesWhatOnlyShowsAtRuntime(t *testing.T) {
	dir := t.TempDir()
	junk := filepath.Join(dir, "junk.mmdb")
	if err := os.WriteFile(junk, []byte("junk"), 0o600); err != nil {
		t.Fatal(err)
	}
	lua := &config.AuthSpec{URL: "/etc/flussonic/auth.lua"}
	cases := []struct {
		name     string
		cfg      config.Server
		pointers []string
	}{
		{"geoip missing", config.Server{Protection: config.Protection{GeoIP: filepath.Join(dir, "none.mmdb")}}, []string{"/geoip"}},
		{"geoip not a database", config.Server{Protection: config.Protection{GeoIP: junk}}, []string{"/geoip"}},
		{"countries without geoip", config.Server{Streams: []config.Stream{{Name: "a", MediaOptions: config.MediaOptions{OnPlay: &config.AuthSpec{DisallowedCountries: []string{"GB"}}}}}}, []string{"/streams/0/on_play"}},
		{"auth:// without its block", config.Server{Templates: []config.Template{{Name: "t", MediaOptions: config.MediaOptions{OnPublish: &config.AuthSpec{URL: "auth://nope"}}}}}, []string{"/templates/0/on_publish"}},
		{"lua once for all streams", config.Server{Streams: []config.Stream{{Name: "a"}, {Name: "b"}}, Protection: config.Protection{OnPlay: lua}}, []string{"/on_play"}},
		{"auth_backend twice and broken", config.Server{Protection: config.Protection{AuthBackends: []config.AuthBackend{
			{Name: "x"}, {Name: "x"}, {Name: "y", AllowIPs: []string{"nope"}},
		}}}, []string{"/auth_backends/1", "/auth_backends/2"}},
	}
	for _, c := range cases {
		_, err := NewBook(&c.cfg, Options{})
		var list config.ErrorList
		if !errors.Is(err, config.ErrInvalid) || !errors.As(err, &list) {
			t.Errorf("%s: err %v, want a config.ErrorList", c.name, err)
			continue
		}
		var got []string
		for _, e := range list {
			got = append(got, e.Pointer)
		}
		if strings.Join(got, " ") != strings.Join(c.pointers, " ") {
			t.Errorf("%s: pointers %v, want %v (%v)", c.name, got, c.pointers, err)
		}
	}
}

// BenchmarkBookPlay is the gateway's per-session lookup: a configured
// stream, and an unconfigured name matched by a template prefix.
func BenchmarkBookPlay(b *testing.B) {
	cfg := &config.Server{
		Templates:  []config.Template{{Name: "live", Prefixes: []string{"live/"}}},
		Protection: config.Protection{OnPlay: &config.AuthSpec{URL: "securetoken://k"}},
	}
	for i := range 1000 {
		cfg.Streams = append(cfg.Streams, config.Stream{Name: "cam" + strings.Repeat("x", i%7) + string(rune('a'+i%26)) + strconv.Itoa(i)})
	}
	book, err := NewBook(cfg, Options{})
	if err != nil {
		b.Fatal(err)
	}
	name := cfg.Streams[500].Name
	b.Run("configured", func(b *testing.B) {
		for b.Loop() {
			if book.Play(name) == nil {
				b.Fatal("unprotected")
			}
		}
	})
	b.Run("template prefix", func(b *testing.B) {
		for b.Loop() {
			if book.Play("live/new") == nil {
				b.Fatal("unprotected")
			}
		}
	})
}

// TestBookCountry: the Book maps an address to its country with the
// configuration's geoip database, and answers "" without one or for an
// address the database does not know.
func TestBookCountry(t *testing.T) {
	db := authtest.CountryDB(t, map[string]string{"198.51.100.0/24": "DE"})
	b, err := NewBook(&config.Server{Protection: config.Protection{GeoIP: db}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := b.Country(netip.MustParseAddr("198.51.100.7")); got != "DE" {
		t.Errorf("Country(198.51.100.7) = %q, want DE", got)
	}
	if got := b.Country(netip.MustParseAddr("192.0.2.1")); got != "" {
		t.Errorf("Country of an unknown address = %q, want \"\"", got)
	}
	open, err := NewBook(&config.Server{}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := open.Country(netip.MustParseAddr("198.51.100.7")); got != "" {
		t.Errorf("Country without a database = %q", got)
	}
}

// TestBookTokenKey: the token's query key is auth_token's, else "token";
// Policies that do not know it get "token".
func TestBookTokenKey(t *testing.T) {
	if k := TokenKeyOf(newBook(t, &config.Server{})); k != "token" {
		t.Errorf("default key %q", k)
	}
	cfg := &config.Server{}
	cfg.AuthToken = "pk"
	if k := TokenKeyOf(newBook(t, cfg)); k != "pk" {
		t.Errorf("auth_token pk: key %q", k)
	}
	var plain Policies = struct{ Policies }{}
	if k := TokenKeyOf(plain); k != "token" {
		t.Errorf("Policies without TokenKey: key %q", k)
	}
}
