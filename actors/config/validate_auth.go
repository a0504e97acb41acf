package config

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// The values of the protection directives. Messages never quote a
// secure link's URL, a token or a password: they may reach a log.

// protection checks the server-wide protection and the auth backends.
func (v *validator) protection() {
	s := v.s
	v.authSpec(s.OnPlay, "on_play", position{}, "/on_play")
	v.authSpec(s.OnPublish, "on_publish", position{}, "/on_publish")
	seen := map[string]bool{}
	for i := range s.AuthBackends {
		b := &s.AuthBackends[i]
		ptr := "/auth_backends/" + strconv.Itoa(i)
		switch {
		case b.Name == "":
			v.add(b.pos, ptr+"/name", "auth_backend without a name")
		case seen[b.Name]:
			v.add(b.pos, ptr+"/name", "duplicate auth_backend %q", b.Name)
		case !validQueryKey(b.Name):
			v.add(b.pos, ptr+"/name", "bad auth_backend name %q: letters, digits, '-', '_' and '.' only", b.Name)
		}
		seen[b.Name] = true
		v.authBackend(b, ptr)
	}
	for i, c := range s.APIAllowedFrom {
		if _, err := ParseCIDR(c); err != nil {
			v.add(position{}, "/api_allowed_from/"+strconv.Itoa(i), "api_allowed_from: %v", err)
		}
	}
	if s.AuthToken != "" && !validQueryKey(s.AuthToken) {
		v.add(position{}, "/auth_token", "auth_token %q: want a query key (letters, digits, '-', '_', '.')", s.AuthToken)
	}
	if s.MaxSessions < 0 {
		v.add(position{}, "/max_sessions", "max_sessions %d is negative", s.MaxSessions)
	}
}

func (v *validator) authBackend(b *AuthBackend, ptr string) {
	at := func(field string, i int) (position, string) {
		key := field + "/" + strconv.Itoa(i)
		return firstKnown(b.at[key], b.pos), ptr + "/" + key
	}
	for _, r := range []struct {
		field string
		list  []string
		check func(string) string
	}{
		{"allow_tokens", b.AllowTokens, nonEmpty("token")},
		{"deny_tokens", b.DenyTokens, nonEmpty("token")},
		{"allow_ips", b.AllowIPs, checkCIDR},
		{"deny_ips", b.DenyIPs, checkCIDR},
		{"allow_countries", b.AllowCountries, checkCountry},
		{"deny_countries", b.DenyCountries, checkCountry},
		{"allow_uas", b.AllowUAs, nonEmpty("user agent")},
		{"deny_uas", b.DenyUAs, nonEmpty("user agent")},
	} {
		for i, x := range r.list {
			if why := r.check(x); why != "" {
				p, ip := at(r.field, i)
				v.add(p, ip, "auth_backend %q: %s", b.Name, why)
			}
		}
	}
	for i, u := range b.Backends {
		if why := checkHTTPURL(u.URL); why != "" {
			p, ip := at("backends", i)
			v.add(p, ip+"/url", "auth_backend %q: backend %s", b.Name, why)
		}
	}
}

// tlsVersions are the ssl_protocols values the TLS listeners speak
// (actors/certs): TLS 1.2 and 1.3. The API's tls_version also names
// tlsv1 and tlsv1.1, which are refused as too weak rather than served.
var tlsVersions = setOf("tlsv1.2", "tlsv1.3")

// listenTLS checks a listener's certificate options: only on TLS
// listeners, the certificate and its key together.
func (v *validator) listenTLS(proto, ptr string, ln Listen) {
	hasTLS := ln.Certificate != "" || ln.CertificateKey != "" || len(ln.SSLProtocols) > 0
	switch {
	case hasTLS && !tlsListener(proto):
		v.add(firstKnown(v.s.pos[ptr+"/certificate"], v.s.pos[ptr+"/certificate_key"], v.s.pos[ptr+"/ssl_protocols"]), ptr,
			"%s does not speak TLS: certificate, certificate_key and ssl_protocols are for https, rtmps and rtsps", proto)
	case (ln.Certificate == "") != (ln.CertificateKey == ""):
		v.add(position{}, ptr, "%s: certificate and certificate_key go together", proto)
	}
	for i, tv := range ln.SSLProtocols {
		if !tlsVersions[tv] {
			ip := ptr + "/ssl_protocols/" + strconv.Itoa(i)
			v.add(v.s.pos[ip], ip, "ssl_protocols: %q is refused; want tlsv1.2 or tlsv1.3", tv)
		}
	}
}

// authSpec checks an on_play or on_publish (kind) read at p (ptr).
func (v *validator) authSpec(a *AuthSpec, kind string, p position, ptr string) {
	if a == nil {
		return
	}
	name := kind
	if a.written != "" {
		name = a.written // as the operator wrote it: auth for on_play
	}
	at := func(key string) position { return firstKnown(a.at[key], a.at[""], p) }
	if why := v.authURL(a.URL); why != "" {
		v.add(at("url"), ptr+"/url", "%s: %s", name, why)
	}
	for _, l := range []struct {
		field string
		list  []string
		check func(string) string
	}{
		{"domains", a.Domains, checkDomain},
		{"allowed_countries", a.AllowedCountries, checkCountry},
		{"disallowed_countries", a.DisallowedCountries, checkCountry},
		{"session_keys", a.SessionKeys, checkSessionKey},
	} {
		for i, x := range l.list {
			if why := l.check(x); why != "" {
				key := l.field + "/" + strconv.Itoa(i)
				v.add(firstKnown(a.at[key], at(l.field)), ptr+"/"+key, "%s %s: %s", name, l.field, why)
			}
		}
	}
	if k := a.SessionKeys; len(k) > 0 && (!slices.Contains(k, "name") || !slices.Contains(k, "ip") || !slices.Contains(k, "proto")) {
		v.add(at("session_keys"), ptr+"/session_keys", "%s session_keys must include name, ip and proto", name)
	}
	if a.MaxSessions < 0 {
		v.add(at("max_sessions"), ptr+"/max_sessions", "%s max_sessions %d is negative", name, a.MaxSessions)
	}
}

// authURL returns why u is not an auth URL, or "".
func (v *validator) authURL(u string) string {
	switch urlScheme(u) {
	case "http", "https":
		return checkHTTPURL(u)
	case "auth":
		name := u[len("auth://"):]
		for i := range v.s.AuthBackends {
			if v.s.AuthBackends[i].Name == name {
				return ""
			}
		}
		return "unknown auth_backend " + strconv.Quote(name)
	case "securetoken":
		return checkSecureToken(u)
	}
	if u == "" || u == "true" {
		return ""
	}
	return "want http(s)://..., auth://NAME, securetoken://SECRET or true, got scheme " + strconv.Quote(urlScheme(u))
}

// checkSecureToken checks securetoken://SECRET[?no_check_ip=true]
// without naming the secret.
func checkSecureToken(u string) string {
	secret, query, _ := strings.Cut(u[len("securetoken://"):], "?")
	if secret == "" {
		return "securetoken:// needs a secret"
	}
	q, err := url.ParseQuery(query)
	if err != nil {
		return "securetoken:// options: want no_check_ip=true"
	}
	for k, vals := range q {
		if k != "no_check_ip" || len(vals) != 1 || (vals[0] != "true" && vals[0] != "false") {
			return "securetoken:// takes one option, no_check_ip=true or false"
		}
	}
	return ""
}

func checkHTTPURL(u string) string {
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
		return "URL: want http:// or https:// and a host" // the URL itself may hold credentials
	}
	return ""
}

func checkCIDR(s string) string {
	if _, err := ParseCIDR(s); err != nil {
		return err.Error()
	}
	return ""
}

func checkCountry(c string) string {
	if !validCountry(c) {
		return strconv.Quote(c) + " is not an ISO 3166 country code (RU, US, GB, ...)"
	}
	return ""
}

// checkDomain accepts a host name, *.wildcards included.
func checkDomain(d string) string {
	if d == "" || strings.ContainsAny(d, " \t\r\n,/") {
		return strconv.Quote(d) + " is not a domain"
	}
	return ""
}

// checkSessionKey accepts the API's session_key: name, ip, proto, token,
// or the name of a query key.
func checkSessionKey(k string) string {
	if !validQueryKey(k) {
		return strconv.Quote(k) + ": want name, ip, proto, token or a query key"
	}
	return ""
}

func nonEmpty(what string) func(string) string {
	return func(s string) string {
		if s == "" {
			return "empty " + what
		}
		return ""
	}
}

// validQueryKey reports whether k is a URL-friendly key: letters,
// digits, '-', '_' and '.' (a name without slashes).
func validQueryKey(k string) bool {
	return k != "" && !strings.ContainsFunc(k, func(r rune) bool { return !nameRune(r, false) })
}
