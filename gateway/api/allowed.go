package api

import (
	"net"
	"net/netip"

	"github.com/valyala/fasthttp"

	"streamhive/actors/config"
)

// api_allowed_from limits the Control API and /metrics to the listed
// subnets, as Flussonic's does; the probes (/monitoring/liveness and
// readiness) stay open to every address, like to every caller, so that an
// orchestrator on another network can still tell the process is alive.

// allowList is api_allowed_from, parsed once per configuration. A nil
// list allows every address.
type allowList []netip.Prefix

// parseAllowList reads the CIDRs (and bare addresses) of
// api_allowed_from with the config validator's own parser, so every form
// it accepts (Flussonic's short 10/8 included) matches here too. An entry
// that does not parse matches nothing: the list still restricts, so a
// typo denies rather than opens (the validator refuses such entries at
// load, this only backs it up).
func parseAllowList(entries []string) allowList {
	if len(entries) == 0 {
		return nil
	}
	l := make(allowList, 0, len(entries))
	for _, e := range entries {
		if p, err := config.ParseCIDR(e); err == nil {
			l = append(l, unmapPrefix(p))
		}
	}
	return l
}

// unmapPrefix writes an IPv4-mapped subnet (::ffff:10.0.0.0/104) as the
// IPv4 one it is, since clients are unmapped before they are matched.
func unmapPrefix(p netip.Prefix) netip.Prefix {
	if !p.Addr().Is4In6() {
		return p.Masked()
	}
	return netip.PrefixFrom(p.Addr().Unmap(), max(p.Bits()-96, 0)).Masked()
}

// allows reports whether ip may use the API. An IPv4 client that reaches
// a dual-stack listener as ::ffff:a.b.c.d matches IPv4 subnets.
func (l allowList) allows(ip net.IP, restricted bool) bool {
	if !restricted {
		return true
	}
	a, ok := netip.AddrFromSlice(ip)
	if !ok {
		return false
	}
	a = a.Unmap()
	for _, p := range l {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// addressAllowed checks the client's address against s's
// api_allowed_from, answering 403 when it is not listed.
func (s *snapshot) addressAllowed(rc *fasthttp.RequestCtx) bool {
	if s.allowed.allows(rc.RemoteIP(), len(s.cfg.APIAllowedFrom) > 0) {
		return true
	}
	WriteError(rc, fasthttp.StatusForbidden, "forbidden", "this address may not use the API")
	return false
}

// AdmitRead decides a request outside the API's routes that the API's
// read rule protects (/metrics, which Flussonic's Prometheus scrapers
// read with view_auth credentials): the client's address must be in
// api_allowed_from, and when view_auth or edit_auth is configured the
// request must carry either pair. A refused request has its 401 (with
// WWW-Authenticate) or 403 written; the caller then writes nothing.
func (a *API) AdmitRead(rc *fasthttp.RequestCtx) bool {
	s := a.current()
	if !s.addressAllowed(rc) {
		return false
	}
	who, presented := authorize(rc, s.cfg)
	if who < accessView {
		deny(rc, who, presented)
		return false
	}
	return true
}
