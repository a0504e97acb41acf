package auth

import (
	"bytes"
	"context"
	"net/netip"
	"strings"
	"testing"

	"streamhive/actors/auth/authtest"
	"streamhive/actors/config"
)

func buildPolicy(t *testing.T, spec *config.AuthSpec, password string, publish bool, env policyEnv) *StreamPolicy {
	t.Helper()
	p, err := newStreamPolicy(spec, password, publish, env)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestStreamPolicyOrderOfChecks(t *testing.T) {
	be := authtest.NewBackend(t)
	be.SetDefault(authtest.Allow("X-UserId", "u1"))
	env := policyEnv{countries: testCountries(t), client: NewHTTPClient()}
	p := buildPolicy(t, &config.AuthSpec{
		URL: be.URL, Domains: []string{"mysite.com"},
		AllowedCountries: []string{"DE"}, DisallowedCountries: []string{"GB"},
		MaxSessions: 7, SoftLimitation: true, SessionKeys: []string{"name", "ip", "proto", "token"},
	}, "", false, env)
	req := func(ip, referer string) Request {
		return Request{Name: "cam1", Proto: "hls", IP: netip.MustParseAddr(ip), Token: "t", Referer: referer}
	}
	cases := []struct {
		name      string
		r         Request
		want      Verdict
		why       string
		asksCount int // backend requests after this case
	}{
		{"foreign referer: denied before the backend", req("198.51.100.1", "https://evil.io/"), Deny, "referer not allowed", 0},
		{"disallowed country", req("203.0.113.1", "https://mysite.com/"), Deny, "country denied", 0},
		{"unknown country with a disallowed list", req("10.1.1.1", ""), Deny, "country unknown", 0},
		{"allowed country: no other checks", req("192.0.2.5", "https://www.mysite.com/"), Allow, "country allowed", 0},
		{"other country: the backend decides", req("198.51.100.1", ""), Allow, "backend 200", 1},
	}
	for _, c := range cases {
		d := p.Check(context.Background(), c.r)
		if d.Verdict != c.want || d.Reason != c.why || be.Count() != c.asksCount {
			t.Errorf("%s: %v (%s) after %d asks, want %v (%s) after %d", c.name, d.Verdict, d.Reason, be.Count(), c.want, c.why, c.asksCount)
		}
	}
	want := Limits{MaxSessions: 7, SoftLimitation: true, SessionKeys: []string{"name", "ip", "proto", "token"}}
	if got := p.Limits(); got.MaxSessions != want.MaxSessions || !got.SoftLimitation || strings.Join(got.SessionKeys, ",") != "name,ip,proto,token" {
		t.Errorf("Limits %+v, want %+v", got, want)
	}
}

func TestStreamPolicyWithoutURL(t *testing.T) {
	env := policyEnv{countries: testCountries(t)}
	onlyCountries := buildPolicy(t, &config.AuthSpec{AllowedCountries: []string{"US"}}, "", false, env)
	if d := onlyCountries.Check(context.Background(), Request{IP: netip.MustParseAddr("198.51.100.1")}); d.Verdict != Allow {
		t.Errorf("allowed country: %v (%s)", d.Verdict, d.Reason)
	}
	if d := onlyCountries.Check(context.Background(), Request{IP: netip.MustParseAddr("203.0.113.1")}); d.Verdict != Deny || d.Reason != "country not allowed" {
		t.Errorf("other country, no URL: %v (%s), want deny", d.Verdict, d.Reason)
	}
	openTrue := buildPolicy(t, &config.AuthSpec{URL: "true", Domains: []string{"mysite.com"}}, "", false, env)
	if d := openTrue.Check(context.Background(), Request{}); d.Verdict != Allow {
		t.Errorf("`true` with no Referer: %v (%s), want allow", d.Verdict, d.Reason)
	}
	if d := openTrue.Check(context.Background(), Request{Referer: "http://other.com/"}); d.Verdict != Deny {
		t.Errorf("`true` with a foreign Referer: %v, want the domains check to deny", d.Verdict)
	}
}

func TestStreamPolicyPublishPassword(t *testing.T) {
	be := authtest.NewBackend(t)
	be.Set("good", authtest.Allow())
	env := policyEnv{client: NewHTTPClient()}
	both := buildPolicy(t, &config.AuthSpec{URL: be.URL}, "s3cret", true, env)
	cases := []struct {
		password, token string
		want            Verdict
		why             string
	}{
		{"", "good", Deny, "password mismatch"},
		{"s3cre", "good", Deny, "password mismatch"},
		{"s3cret!", "good", Deny, "password mismatch"},
		{"s3cret", "bad", Deny, "backend 403"},
		{"s3cret", "good", Allow, "backend 200"},
	}
	for _, c := range cases {
		d := both.Check(context.Background(), Request{Name: "pub", Publish: true, Password: c.password, Token: c.token})
		if d.Verdict != c.want || d.Reason != c.why {
			t.Errorf("password %q token %q: %v (%s), want %v (%s)", c.password, c.token, d.Verdict, d.Reason, c.want, c.why)
		}
	}
	if be.Count() != 2 {
		t.Errorf("the backend was asked %d times, want 2 (only after the password matched)", be.Count())
	}
	only := buildPolicy(t, nil, "pw", true, env)
	if d := only.Check(context.Background(), Request{Publish: true, Password: "pw"}); d.Verdict != Allow {
		t.Errorf("password only: %v (%s)", d.Verdict, d.Reason)
	}
	if p, err := newStreamPolicy(nil, "", true, env); p != nil || err != nil {
		t.Errorf("nothing configured: %v, %v; want nil, nil", p, err)
	}
}

func TestStreamPolicyRefusesWhatCannotRun(t *testing.T) {
	env := policyEnv{sets: map[string]*RuleSet{}}
	cases := []*config.AuthSpec{
		{URL: "/etc/flussonic/auth.lua"},
		{URL: "auth://missing"},
		{URL: "securetoken://"},
		{URL: "false"},
		{URL: "http://"},
		{AllowedCountries: []string{"US"}}, // no geoip
		{Domains: []string{"http://x"}},
	}
	for _, spec := range cases {
		if _, err := newStreamPolicy(spec, "", false, env); err == nil {
			t.Errorf("%+v: built, want an error", *spec)
		}
	}
}

func TestDecisionMetrics(t *testing.T) {
	p := buildPolicy(t, &config.AuthSpec{Domains: []string{"mysite.com"}}, "", true, policyEnv{})
	before := decisionCounts[1][KindDomains][Deny].Load()
	p.Check(context.Background(), Request{Referer: "http://evil.io/"})
	if got := decisionCounts[1][KindDomains][Deny].Load(); got != before+1 {
		t.Errorf("publish/domains/deny counted %d, want %d", got, before+1)
	}
	var buf bytes.Buffer
	writeMetrics(&buf)
	out := buf.String()
	for _, want := range []string{
		"# HELP streamhive_auth_decisions_total ",
		"# TYPE streamhive_auth_decisions_total counter\n",
		`streamhive_auth_decisions_total{direction="publish",kind="domains",verdict="deny"} `,
		"# HELP streamhive_auth_backend_no_answer_total ",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("metrics lack %q:\n%s", want, out)
		}
	}
}
