package config

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

// ParseCIDR reads an address (10.0.0.1, ::1), a subnet (10.0.0.0/8,
// fd00::/8), or Flussonic's short subnet that leaves out trailing zero
// octets (172.16/24, 10/8), as a prefix: an address is a /32 (/128). The
// values of auth_backend ip rules and api_allowed_from are read with it.
func ParseCIDR(s string) (netip.Prefix, error) {
	if a, err := netip.ParseAddr(s); err == nil {
		return netip.PrefixFrom(a, a.BitLen()), nil
	}
	if p, err := netip.ParsePrefix(s); err == nil {
		return p, nil
	}
	if p, ok := parseShortCIDR(s); ok {
		return p, nil
	}
	return netip.Prefix{}, fmt.Errorf("%q is not an address or a subnet (10.0.0.0/8, 172.16/24)", s)
}

// parseShortCIDR reads 172.16/24: one to three IPv4 octets, the others
// zero.
func parseShortCIDR(s string) (netip.Prefix, bool) {
	addr, bits, ok := strings.Cut(s, "/")
	n := strings.Count(addr, ".") + 1
	if !ok || n >= 4 || strings.Contains(addr, ":") {
		return netip.Prefix{}, false
	}
	if _, err := strconv.Atoi(bits); err != nil {
		return netip.Prefix{}, false
	}
	p, err := netip.ParsePrefix(addr + strings.Repeat(".0", 4-n) + "/" + bits)
	return p, err == nil
}

// normalCIDR writes a short subnet in full (172.16/24 as 172.16.0.0/24);
// any other value is kept as written.
func normalCIDR(s string) string {
	if p, ok := parseShortCIDR(s); ok {
		return p.String()
	}
	return s
}
