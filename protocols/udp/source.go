package udp

import (
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"strings"
)

// ErrBadURL is returned by Pull for a URL it cannot use. Restarting does
// not fix it.
var ErrBadURL = errors.New("udp: bad url")

// Source is where a udp:// input receives.
type Source struct {
	// Addr is the group (multicast) or local address (unicast) and port
	// to receive on. An unspecified address means every local address.
	Addr netip.AddrPort
	// Interface is the local address of the interface to join the group
	// on. Zero: the one the routing table picks for the group.
	Interface netip.Addr
	// Sender, when set, is the only sender to accept (source-specific
	// multicast, IGMPv3).
	Sender netip.Addr
}

// Multicast reports whether the source is a multicast group.
func (s Source) Multicast() bool { return s.Addr.Addr().IsMulticast() }

// ParseURL reads a udp:// URL in the forms of the package doc.
func ParseURL(raw string) (Source, error) {
	var s Source
	u, err := url.Parse(raw)
	if err != nil {
		return s, fmt.Errorf("%w: %w", ErrBadURL, err)
	}
	if u.Scheme != "udp" {
		return s, fmt.Errorf("%w: scheme %q, want udp", ErrBadURL, u.Scheme)
	}
	host := u.Host
	if strings.HasPrefix(host, ":") {
		host = "0.0.0.0" + host
	}
	if s.Addr, err = netip.ParseAddrPort(host); err != nil || s.Addr.Port() == 0 {
		return s, fmt.Errorf("%w: %q: want IP:PORT", ErrBadURL, u.Host)
	}
	s.Addr = netip.AddrPortFrom(s.Addr.Addr().Unmap(), s.Addr.Port())
	if iface := strings.Trim(u.Path, "/"); iface != "" {
		if s.Interface, err = netip.ParseAddr(iface); err != nil {
			return s, fmt.Errorf("%w: interface %q: want the interface's IP address", ErrBadURL, iface)
		}
	}
	sender := u.Query().Get("source")
	if u.User != nil {
		sender = u.User.Username()
	}
	if sender != "" {
		if s.Sender, err = netip.ParseAddr(sender); err != nil {
			return s, fmt.Errorf("%w: source %q: want an IP address", ErrBadURL, sender)
		}
	}
	if s.Multicast() && !s.Addr.Addr().Is4() {
		return s, fmt.Errorf("%w: %s: IPv6 multicast is not supported", ErrBadURL, s.Addr.Addr())
	}
	if !s.Multicast() && (s.Interface.IsValid() || s.Sender.IsValid()) {
		return s, fmt.Errorf("%w: interface and source apply to multicast groups only", ErrBadURL)
	}
	return s, nil
}
