package auth

import (
	"context"
	"errors"
	"net/netip"
	"testing"
	"time"

	"streamhive/actors/auth/authtest"
	"streamhive/actors/config"
)

func testCountries(t *testing.T) *GeoDB {
	t.Helper()
	db, err := OpenGeoIP(authtest.CountryDB(t, map[string]string{
		"198.51.100.0/24": "US", "203.0.113.0/24": "GB", "192.0.2.0/24": "de",
	}))
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func viewer(ip, token, ua string) Request {
	return Request{Name: "cam1", Proto: "hls", IP: netip.MustParseAddr(ip), Token: token, UserAgent: ua}
}

func TestRuleSetAppliesFlussonicsOrder(t *testing.T) {
	s, err := NewRuleSet(config.AuthBackend{
		Name:        "main",
		AllowTokens: []string{"friend"}, DenyTokens: []string{"thief"},
		AllowIPs: []string{"172.16/24", "10.9.9.9"}, DenyIPs: []string{"198.51.100.66"},
		AllowCountries: []string{"us"}, DenyCountries: []string{"GB"},
		AllowUAs: []string{"MAG"}, DenyUAs: []string{"BadBot"},
	}, testCountries(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		r    Request
		want Verdict
		why  string
	}{
		{"allowed token beats denied ip", viewer("198.51.100.66", "friend", ""), Allow, "token allowed"},
		{"denied token beats allowed ip", viewer("172.16.0.5", "thief", ""), Deny, "token denied"},
		{"short network form", viewer("172.16.0.200", "", ""), Allow, "ip allowed"},
		{"single address", viewer("10.9.9.9", "", ""), Allow, "ip allowed"},
		{"denied ip beats allowed country", viewer("198.51.100.66", "", "MAG"), Deny, "ip denied"},
		{"allowed country", viewer("198.51.100.1", "", "BadBot"), Allow, "country allowed"},
		{"denied country beats allowed ua", viewer("203.0.113.9", "", "MAG 250"), Deny, "country denied"},
		{"unknown country with a deny list", viewer("100.64.0.1", "", "MAG"), Deny, "country unknown"},
		{"ua allowed", viewer("192.0.2.1", "", "Mozilla MAG/2"), Allow, "user agent allowed"},
		{"ua denied", viewer("192.0.2.1", "", "BadBot/1"), Deny, "user agent denied"},
		{"nothing matched, no backend, no allow_default", viewer("192.0.2.1", "x", "curl"), Deny, ReasonNoAnswer},
	}
	for _, c := range cases {
		d := s.Check(context.Background(), c.r)
		if d.Verdict != c.want || d.Reason != c.why {
			t.Errorf("%s: got %v (%s), want %v (%s)", c.name, d.Verdict, d.Reason, c.want, c.why)
		}
	}
}

func TestRuleSetAllowDefaultWithoutBackends(t *testing.T) {
	s, err := NewRuleSet(config.AuthBackend{Name: "blacklist", DenyIPs: []string{"10.10/16"}, AllowDefault: true}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if d := s.Check(context.Background(), viewer("10.10.3.4", "", "")); d.Verdict != Deny {
		t.Errorf("listed address: %v (%s), want deny", d.Verdict, d.Reason)
	}
	if d := s.Check(context.Background(), viewer("10.11.3.4", "", "")); d.Verdict != Allow || d.Reason != "allow_default" {
		t.Errorf("other address: %v (%s), want allow by allow_default", d.Verdict, d.Reason)
	}
}

func TestRuleSetAsksBackendsInParallel(t *testing.T) {
	a, b := authtest.NewBackend(t), authtest.NewBackend(t)
	a.Set("both-allow", authtest.Allow("X-UserId", "from-a"))
	b.Set("both-allow", authtest.Allow("X-UserId", "from-b"))
	a.Set("one-allows", authtest.Deny())
	b.Set("one-allows", authtest.Allow("X-UserId", "u7"))
	a.Set("hang-allow", authtest.Hang())
	b.Set("hang-allow", authtest.Allow("X-UserId", "fast"))
	a.Set("hang-deny", authtest.Hang())
	b.Set("hang-deny", authtest.Answer{Status: 403, Headers: map[string]string{"X-AuthDuration": "77"}})
	a.Set("errors", authtest.Status(500))
	b.Set("errors", authtest.Drop())
	rules := func(allowDefault bool) *RuleSet {
		s, err := NewRuleSet(config.AuthBackend{
			Name: "multi", AllowDefault: allowDefault,
			Backends: []config.AuthBackendURL{{URL: a.URL}, {URL: b.URL}},
		}, nil, NewHTTPClient())
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	strict, lenient := rules(false), rules(true)
	check := func(s *RuleSet, token string) (Decision, time.Duration) {
		ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
		defer cancel()
		start := time.Now()
		return s.Check(ctx, viewer("192.0.2.1", token, "")), time.Since(start)
	}
	if d, _ := check(strict, "both-allow"); d.Verdict != Allow || (d.UserID != "from-a" && d.UserID != "from-b") {
		t.Errorf("both allow: %+v", d)
	}
	if d, _ := check(strict, "one-allows"); d.Verdict != Allow || d.UserID != "u7" {
		t.Errorf("one of two allows: %+v, want the allow", d)
	}
	if d, el := check(strict, "hang-allow"); d.Verdict != Allow || d.UserID != "fast" || el > 400*time.Millisecond {
		t.Errorf("an allow beside a hanging backend: %+v after %v, want the allow at once", d, el)
	}
	if d, _ := check(lenient, "hang-deny"); d.Verdict != Deny || d.Duration != 77*time.Second {
		t.Errorf("a deny beside a hanging backend: %+v, want the deny (allow_default is for no answer at all)", d)
	}
	if d, _ := check(strict, "errors"); d.Verdict != Deny || d.Reason != ReasonNoAnswer {
		t.Errorf("no answer, no allow_default: %+v", d)
	}
	if d, _ := check(lenient, "errors"); d.Verdict != Allow || d.Reason != "allow_default" {
		t.Errorf("no answer, allow_default: %+v", d)
	}
	a.Close()
	b.Close()
	if d, _ := check(lenient, "both-allow"); d.Verdict != Allow || d.Reason != "allow_default" {
		t.Errorf("both down, allow_default: %+v", d)
	}
	if d, _ := check(strict, "both-allow"); d.Verdict != Deny {
		t.Errorf("both down: %+v, want deny", d)
	}
}

func TestNewRuleSetRefusesWhatCannotWork(t *testing.T) {
	db := testCountries(t)
	cases := []struct {
		name string
		cfg  config.AuthBackend
		db   Countries
		want error
	}{
		{"bad address", config.AuthBackend{AllowIPs: []string{"10.0.0.300"}}, nil, ErrRule},
		{"bad network", config.AuthBackend{DenyIPs: []string{"10/40"}}, nil, ErrRule},
		{"countries without geoip", config.AuthBackend{DenyCountries: []string{"GB"}}, nil, ErrRule},
		{"bad country", config.AuthBackend{AllowCountries: []string{"USA"}}, db, ErrRule},
		{"empty user agent", config.AuthBackend{DenyUAs: []string{""}}, nil, ErrRule},
		{"bad backend", config.AuthBackend{Backends: []config.AuthBackendURL{{URL: "/etc/auth.lua"}}}, nil, ErrBackendURL},
	}
	for _, c := range cases {
		if _, err := NewRuleSet(c.cfg, c.db, nil); !errors.Is(err, c.want) {
			t.Errorf("%s: err %v, want %v", c.name, err, c.want)
		}
	}
}
