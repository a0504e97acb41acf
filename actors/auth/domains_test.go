package auth

import (
	"errors"
	"strings"
	"testing"
)

func TestDomainListChecksTheReferer(t *testing.T) {
	l, err := newDomainList([]string{"MyCompany.com", "*.partner.tv"})
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]bool{
		"":                                     true, // documented: no Referer, no check
		"https://mycompany.com/live/page.html": true,
		"https://www.mycompany.com:8443/x":     true,
		"http://a.b.MYCOMPANY.COM./":           true,
		"mycompany.com":                        true,
		"https://partner.tv/":                  true,
		"https://cdn.partner.tv/embed":         true,
		"https://evilmycompany.com/":           false,
		"https://mycompany.com.evil.io/":       false,
		"https://evil.io/?mycompany.com":       false,
		"https://user@evil.io/mycompany.com":   false,
		"about:blank":                          false,
		"http://":                              false,
		"http://[::1":                          false,
		"https://" + strings.Repeat("a", maxReferer) + ".mycompany.com/": false,
	}
	for ref, want := range cases {
		if got := l.allows(ref); got != want {
			t.Errorf("Referer %q: %v, want %v", ref, got, want)
		}
	}
	if !domainList(nil).allows("https://anything/") {
		t.Error("no domains configured must allow")
	}
}

func TestNewDomainListRefusesNonHosts(t *testing.T) {
	for _, d := range []string{"", " ", "*.", "http://x.com", "x.com/path", "x.com:80"} {
		if _, err := newDomainList([]string{d}); !errors.Is(err, ErrRule) {
			t.Errorf("%q: err %v, want ErrRule", d, err)
		}
	}
}

func FuzzReferer(f *testing.F) {
	f.Add("https://www.mycompany.com:8443/page")
	f.Add("mycompany.com")
	f.Add("http://[::1]:80/")
	l, err := newDomainList([]string{"mycompany.com"})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, referer string) {
		host, ok := refererHost(referer)
		if ok && (host == "" || len(host) > len(referer)+len("http://")) {
			t.Fatalf("%q gave host %q", referer, host)
		}
		if l.allows(referer) && referer != "" && !strings.HasSuffix(host, "mycompany.com") {
			t.Fatalf("%q (host %q) passed a mycompany.com list", referer, host)
		}
	})
}
