package auth

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"
)

// ErrRule wraps a protection rule that cannot be built (an address list
// entry that does not parse, a country rule without a GeoIP database).
var ErrRule = errors.New("auth: bad rule")

// ipList is a list of networks; an address matches when one holds it.
type ipList []netip.Prefix

// parseIPList reads addresses and networks: "10.1.2.3", "10.0.0.0/8",
// "2001:db8::/32", and Flussonic's short form "172.16/24" (the missing
// octets are zero).
func parseIPList(entries []string) (ipList, error) {
	out := make(ipList, 0, len(entries))
	for _, e := range entries {
		p, err := parsePrefix(strings.TrimSpace(e))
		if err != nil {
			return nil, fmt.Errorf("%w: address %q: %w", ErrRule, e, err)
		}
		out = append(out, p)
	}
	return out, nil
}

func parsePrefix(s string) (netip.Prefix, error) {
	if p, err := netip.ParsePrefix(s); err == nil {
		return p.Masked(), nil
	}
	if a, err := netip.ParseAddr(s); err == nil {
		a = a.Unmap()
		return netip.PrefixFrom(a, a.BitLen()), nil
	}
	addr, bits, ok := strings.Cut(s, "/")
	if !ok || strings.Contains(addr, ":") || strings.Count(addr, ".") >= 3 {
		return netip.Prefix{}, errors.New("want an address or a network (a.b.c.d/n)")
	}
	for strings.Count(addr, ".") < 3 {
		addr += ".0"
	}
	p, err := netip.ParsePrefix(addr + "/" + bits)
	if err != nil {
		return netip.Prefix{}, err
	}
	return p.Masked(), nil
}

func (l ipList) contains(ip netip.Addr) bool {
	ip = ip.Unmap()
	for _, p := range l {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// stringSet is a set of exact strings (tokens, upper-case countries).
type stringSet map[string]struct{}

func newStringSet(entries []string, norm func(string) string) stringSet {
	s := make(stringSet, len(entries))
	for _, e := range entries {
		s[norm(e)] = struct{}{}
	}
	return s
}

func (s stringSet) has(v string) bool { _, ok := s[v]; return ok }

func same(s string) string { return s }

// countryCode normalizes an ISO 3166-1 code: "us" and " US" are "US".
func countryCode(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

// countryLists are allow and deny lists of countries with the database
// that places a viewer. Flussonic lists both on auth_spec
// (allowed_countries, disallowed_countries) and on auth_backend
// (allow country, deny country).
type countryLists struct {
	allow, deny stringSet
	db          Countries
}

func newCountryLists(allow, deny []string, db Countries) (countryLists, error) {
	c := countryLists{allow: newStringSet(allow, countryCode), deny: newStringSet(deny, countryCode), db: db}
	if c.empty() {
		return c, nil
	}
	if db == nil {
		return c, fmt.Errorf("%w: country lists need a `geoip` database", ErrRule)
	}
	for code := range c.allow {
		if !validCountry(code) {
			return c, fmt.Errorf("%w: country %q: want a two-letter ISO 3166-1 code", ErrRule, code)
		}
	}
	for code := range c.deny {
		if !validCountry(code) {
			return c, fmt.Errorf("%w: country %q: want a two-letter ISO 3166-1 code", ErrRule, code)
		}
	}
	return c, nil
}

func validCountry(c string) bool {
	return len(c) == 2 && c[0] >= 'A' && c[0] <= 'Z' && c[1] >= 'A' && c[1] <= 'Z'
}

func (c countryLists) empty() bool { return len(c.allow) == 0 && len(c.deny) == 0 }

// decide places ip; ok is false when no list names its country. The
// allow list is read first (Flussonic's order: allow country, then deny
// country). An address without a country (private ranges, networks the
// database lacks) is in no allow list; where a deny list exists it is
// denied as "country unknown": Flussonic's documentation does not say,
// and a viewer we cannot place may be in a denied country, so we fail
// closed.
func (c countryLists) decide(ip netip.Addr) (d Decision, ok bool) {
	if c.empty() {
		return Decision{}, false
	}
	code, found := c.db.Country(ip)
	switch {
	case !found && len(c.deny) > 0:
		return ruleDecision(Deny, "country unknown"), true
	case !found:
		return Decision{}, false
	case c.allow.has(code):
		return ruleDecision(Allow, "country allowed"), true
	case c.deny.has(code):
		return ruleDecision(Deny, "country denied"), true
	}
	return Decision{}, false
}
