package auth

import (
	"context"
	"errors"
	"net/netip"
	"strings"
	"testing"
	"time"

	"streamhive/actors/auth/authtest"
)

var linkNow = time.Unix(1_700_000_000, 0)

func fixedSecureToken(t *testing.T, rawURL string) *SecureToken {
	t.Helper()
	st, err := NewSecureToken(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	st.now = func() time.Time { return linkNow }
	return st
}

func link(ip string, mod func(*authtest.SecureLink)) string {
	l := authtest.SecureLink{
		Name: "cam1", IP: ip, Secret: "s3cret", Salt: "a1b2c3",
		Start: linkNow.Add(-time.Minute), End: linkNow.Add(time.Hour),
	}
	if mod != nil {
		mod(&l)
	}
	return l.Token()
}

func TestSecureTokenChecksSignatureAddressAndTime(t *testing.T) {
	st := fixedSecureToken(t, "securetoken://s3cret")
	ip := "203.0.113.7"
	cases := []struct {
		name  string
		token string
		ip    string
		want  Verdict
		why   string
	}{
		{"valid", link(ip, nil), ip, Allow, "securetoken"},
		{"upper-case hash", strings.ToUpper(link(ip, nil)[:40]) + link(ip, nil)[40:], ip, Allow, "securetoken"},
		{"ipv4-mapped viewer", link(ip, nil), "::ffff:" + ip, Allow, "securetoken"},
		{"other address", link(ip, nil), "203.0.113.8", Deny, "securetoken mismatch"},
		{"other stream", link(ip, func(l *authtest.SecureLink) { l.Name = "cam2" }), ip, Deny, "securetoken mismatch"},
		{"other secret", link(ip, func(l *authtest.SecureLink) { l.Secret = "guess" }), ip, Deny, "securetoken mismatch"},
		{"no_check_ip link on an ip-bound stream", link("no_check_ip", nil), ip, Deny, "securetoken mismatch"},
		{"expired", link(ip, func(l *authtest.SecureLink) { l.End = linkNow.Add(-time.Second) }), ip, Deny, "securetoken expired"},
		{"not yet valid", link(ip, func(l *authtest.SecureLink) { l.Start = linkNow.Add(time.Second) }), ip, Deny, "securetoken expired"},
		{"salt changed", strings.Replace(link(ip, nil), "a1b2c3", "a1b2c4", 1), ip, Deny, "securetoken mismatch"},
		{"end moved", strings.Replace(link(ip, nil), "-1700003600-", "-1700099999-", 1), ip, Deny, "securetoken mismatch"},
		{"empty", "", ip, Deny, "securetoken malformed"},
		{"plain token", "60334b207baa", ip, Deny, "securetoken malformed"},
		{"signed time", link(ip, nil)[:41] + "a1b2c3-+1700003600-1699999940", ip, Deny, "securetoken malformed"},
	}
	for _, c := range cases {
		r := Request{Name: "cam1", IP: netip.MustParseAddr(c.ip), Token: c.token}
		d := st.Check(context.Background(), r)
		if d.Verdict != c.want || d.Reason != c.why {
			t.Errorf("%s: %v (%s), want %v (%s)", c.name, d.Verdict, d.Reason, c.want, c.why)
		}
	}
}

func TestSecureTokenNoCheckIPAndUserID(t *testing.T) {
	st := fixedSecureToken(t, "securetoken://s3cret?no_check_ip=true")
	r := Request{Name: "cam1", IP: netip.MustParseAddr("198.51.100.1")}
	for _, ip := range []string{"no_check_ip", ""} {
		r.Token = link(ip, nil)
		if d := st.Check(context.Background(), r); d.Verdict != Allow {
			t.Errorf("ip part %q: %v (%s), want allow", ip, d.Verdict, d.Reason)
		}
	}
	r.Token = link("no_check_ip", func(l *authtest.SecureLink) {
		l.UserID = "john-42"
		l.End = linkNow.Add(10 * time.Second)
	})
	d := st.Check(context.Background(), r)
	if d.Verdict != Allow || d.UserID != "john-42" || d.Duration != 11*time.Second {
		t.Errorf("user link: %+v, want allow for john-42 until its end", d)
	}
	r.Token = strings.TrimSuffix(r.Token, "john-42") + "mary"
	if d := st.Check(context.Background(), r); d.Verdict != Deny {
		t.Errorf("user id swapped: %v, want deny", d.Verdict)
	}
}

func TestNewSecureTokenRefusesBadURLs(t *testing.T) {
	for _, u := range []string{
		"securetoken://", "securetoken://?no_check_ip=true", "securetoken://k?no_check_ip=yes",
		"securetoken://k?ttl=5", "securetoken://k?no_check_ip=true&no_check_ip=false", "http://k", "securetoken://k?%zz",
	} {
		_, err := NewSecureToken(u)
		if !errors.Is(err, ErrSecureToken) {
			t.Errorf("%q: err %v, want ErrSecureToken", u, err)
		}
		if err != nil && strings.Contains(err.Error(), "k?") {
			t.Errorf("%q: the error shows the secret: %v", u, err)
		}
	}
}

func FuzzSecureLink(f *testing.F) {
	f.Add(link("203.0.113.7", nil))
	f.Add(link("", func(l *authtest.SecureLink) { l.UserID = "u-1-2" }))
	f.Add("zz-a-1-2")
	f.Add(strings.Repeat("-", 2000))
	st, err := NewSecureToken("securetoken://s3cret?no_check_ip=true")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, tok string) {
		l, ok := parseSecureLink(tok)
		if ok && (l.start < 0 || l.end < 0 || len(l.userID) > maxUserID) {
			t.Fatalf("parsed %q into %+v", tok, l)
		}
		d := st.Check(context.Background(), Request{Name: "cam1", Token: tok})
		if d.Verdict == Allow && !ok {
			t.Fatalf("allowed a token that does not parse: %q", tok)
		}
	})
}
