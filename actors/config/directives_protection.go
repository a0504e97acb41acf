package config

import (
	"strconv"
	"strings"
)

// protectionDirectives are the server-wide protection directives:
//
//	on_play URL [options];  auth URL;  on_publish URL;   (directives_auth.go)
//	auth_backend NAME { ... }
//	geoip /path/GeoLite2-Country.mmdb;
//	api_allowed_from 10.0.0.0/8 127.0.0.1 ...;
//	auth_token KEY;
//	max_sessions N;
var protectionDirectives = map[string]handler[*Server]{
	"on_play":      func(p *parser, s *stmt, srv *Server) { p.authSpec(s, &srv.OnPlay) },
	"auth":         func(p *parser, s *stmt, srv *Server) { p.authSpec(s, &srv.OnPlay) },
	"on_publish":   func(p *parser, s *stmt, srv *Server) { p.authSpec(s, &srv.OnPublish) },
	"auth_backend": parseAuthBackend,
	"event_sink":   parseEventSink, // directives_events.go
	"geoip": func(p *parser, s *stmt, srv *Server) {
		srv.pos["/geoip"] = s.name.pos
		p.stringArg(s, &srv.GeoIP, "the path of a MaxMind database")
	},
	"api_allowed_from": func(p *parser, s *stmt, srv *Server) {
		if !p.nargs(s, 1, -1, "addresses or subnets (10.0.0.0/8)") {
			return
		}
		if _, ok := srv.pos["/api_allowed_from"]; !ok {
			srv.pos["/api_allowed_from"] = s.name.pos
		}
		for _, a := range s.args {
			srv.pos["/api_allowed_from/"+strconv.Itoa(len(srv.APIAllowedFrom))] = a.pos
			srv.APIAllowedFrom = append(srv.APIAllowedFrom, normalCIDR(a.text))
		}
	},
	"auth_token": func(p *parser, s *stmt, srv *Server) {
		srv.pos["/auth_token"] = s.name.pos
		p.stringArg(s, &srv.AuthToken, "a query key")
	},
	"max_sessions": func(p *parser, s *stmt, srv *Server) {
		srv.pos["/max_sessions"] = s.name.pos
		p.intArg(s, &srv.MaxSessions, "a number of sessions")
	},
}

// authRuleFields maps an auth_backend rule (`allow ip`, `deny country`)
// to its list.
var authRuleFields = map[string]func(*AuthBackend) (*[]string, string){
	"allow token":   func(b *AuthBackend) (*[]string, string) { return &b.AllowTokens, "allow_tokens" },
	"deny token":    func(b *AuthBackend) (*[]string, string) { return &b.DenyTokens, "deny_tokens" },
	"allow ip":      func(b *AuthBackend) (*[]string, string) { return &b.AllowIPs, "allow_ips" },
	"deny ip":       func(b *AuthBackend) (*[]string, string) { return &b.DenyIPs, "deny_ips" },
	"allow country": func(b *AuthBackend) (*[]string, string) { return &b.AllowCountries, "allow_countries" },
	"deny country":  func(b *AuthBackend) (*[]string, string) { return &b.DenyCountries, "deny_countries" },
	"allow ua":      func(b *AuthBackend) (*[]string, string) { return &b.AllowUAs, "allow_uas" },
	"deny ua":       func(b *AuthBackend) (*[]string, string) { return &b.DenyUAs, "deny_uas" },
}

// parseAuthBackend handles
//
//	auth_backend NAME {
//	  allow token T ...;   deny token T ...;
//	  allow ip 127.0.0.1 172.16/24 ...;   deny ip ...;
//	  allow country RU US;   deny country GB;
//	  allow ua "substring" ...;   deny ua ...;
//	  backend http://...;   (each asked in parallel)
//	  allow default;
//	}
//
// Each rule line may repeat and take several values. Short subnets
// (172.16/24) are stored in full (172.16.0.0/24), country codes
// upper-case.
func parseAuthBackend(p *parser, s *stmt, srv *Server) {
	if len(s.args) != 1 {
		p.wrongArgs(s, 1, "an auth_backend name")
		return
	}
	b := AuthBackend{Name: s.args[0].text, pos: s.name.pos}
	for _, r := range s.block {
		switch r.name.text {
		case "allow", "deny":
			p.authRule(&b, r)
		case "backend":
			if p.nargs(r, 1, 1, "a backend URL") {
				b.at.set("backends", r.args[0].pos)
				b.at.set("backends/"+strconv.Itoa(len(b.Backends)), r.args[0].pos)
				b.Backends = append(b.Backends, AuthBackendURL{URL: r.args[0].text})
			}
		default:
			p.unknown(r.name, []string{"allow", "deny", "backend"})
		}
	}
	srv.AuthBackends = append(srv.AuthBackends, b)
}

// authRule reads `allow KIND VALUE ...;`, `deny KIND VALUE ...;` or
// `allow default;`.
func (p *parser) authRule(b *AuthBackend, r *stmt) {
	if !p.nargs(r, 1, -1, "token, ip, country, ua or default") {
		return
	}
	kind := r.args[0]
	if kind.text == "default" {
		if p.nargs(r, 1, 1, "") {
			b.at.set("allow_default", r.name.pos)
			b.AllowDefault = r.name.text == "allow"
		}
		return
	}
	field, ok := authRuleFields[r.name.text+" "+kind.text]
	if !ok {
		p.errorf(kind.pos, "unknown %s rule %s; want token, ip, country, ua or default", r.name.text, kind.describe())
		return
	}
	if len(r.args) < 2 {
		p.errorf(r.last().end, "expected a value after %s", r.describe())
		return
	}
	list, name := field(b)
	for _, v := range r.args[1:] {
		b.at.set(name+"/"+strconv.Itoa(len(*list)), v.pos)
		*list = append(*list, normalRuleValue(name, v.text))
	}
}

// upperCountry writes a two-letter code upper-case, as ISO 3166 does;
// anything else is kept as written.
func upperCountry(v string) string {
	if len(v) == 2 && isASCIILetter(v[0]) && isASCIILetter(v[1]) {
		return strings.ToUpper(v)
	}
	return v
}

func isASCIILetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// normalRuleValue stores short subnets in full and country codes
// upper-case; anything it cannot read is kept as written, for Validate to
// name.
func normalRuleValue(field, v string) string {
	switch field {
	case "allow_ips", "deny_ips":
		return normalCIDR(v)
	case "allow_countries", "deny_countries":
		return upperCountry(v)
	}
	return v
}
