package api

import (
	"net"
	"testing"
)

func TestAllowList(t *testing.T) {
	l := parseAllowList([]string{"10.0.0.0/8", "192.168.1.7", "2001:db8::/32", "bogus", "172.16.5.9/16", "100.64/10", "::ffff:198.51.100.0/120"})
	for _, tt := range []struct {
		ip   string
		want bool
	}{
		{"10.1.2.3", true},
		{"::ffff:10.1.2.3", true}, // an IPv4 client on a dual-stack listener
		{"192.168.1.7", true},
		{"192.168.1.8", false},
		{"2001:db8::1", true},
		{"2001:db9::1", false},
		{"172.16.200.1", true}, // the host bits of a prefix are ignored
		{"127.0.0.1", false},
		{"100.100.1.1", true},    // Flussonic's short form, which the config accepts
		{"100.128.0.1", false},   // just outside 100.64/10
		{"198.51.100.20", true},  // an IPv4-mapped subnet matches IPv4 clients
		{"198.51.101.20", false}, // ... with its own length
	} {
		if got := l.allows(net.ParseIP(tt.ip), true); got != tt.want {
			t.Errorf("allows(%s) = %v, want %v", tt.ip, got, tt.want)
		}
	}
	if !allowList(nil).allows(net.ParseIP("8.8.8.8"), false) {
		t.Errorf("no api_allowed_from must allow every address")
	}
	if parseAllowList([]string{"bogus"}).allows(net.ParseIP("127.0.0.1"), true) {
		t.Errorf("a list of only unparsable entries must deny, not open")
	}
}
