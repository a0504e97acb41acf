package config

import (
	"strconv"
	"strings"
)

// protection writes the server-wide protection directives.
func (w *printer) protection(s *Server) {
	if s.GeoIP != "" {
		w.line("geoip", quoteIfNeeded(s.GeoIP))
	}
	if len(s.APIAllowedFrom) > 0 {
		w.line(append([]string{"api_allowed_from"}, quoteEach(s.APIAllowedFrom)...)...)
	}
	if s.AuthToken != "" {
		w.line("auth_token", quoteIfNeeded(s.AuthToken))
	}
	if s.MaxSessions != 0 {
		w.line("max_sessions", strconv.Itoa(s.MaxSessions))
	}
	if s.OnPlay != nil {
		w.line(authWords("on_play", s.OnPlay)...)
	}
	if s.OnPublish != nil {
		w.line(authWords("on_publish", s.OnPublish)...)
	}
}

// authWords writes an auth_spec as one on_play or on_publish line, the
// options that a stream may also write as directives among them.
func authWords(name string, a *AuthSpec) []string {
	words := []string{name}
	if a.URL != "" {
		words = append(words, authURLWord(a.URL))
	}
	for _, key := range authOptionNames {
		f := authFields[key]
		switch {
		case f.list != nil && len(*f.list(a)) > 0:
			words = append(words, opt(key, strings.Join(*f.list(a), ",")))
		case f.num != nil && *f.num(a) != 0:
			words = append(words, key+"="+strconv.Itoa(*f.num(a)))
		case f.flag != nil && *f.flag(a):
			words = append(words, key+"=true")
		}
	}
	return words
}

// authURLWord writes an auth URL as a word the parser reads back as the
// URL: quoted when it would read as one of the options.
func authURLWord(u string) string {
	if key, _, ok := strings.Cut(u, "="); ok {
		if _, isOpt := authFields[key]; isOpt {
			return quote(u)
		}
	}
	return quoteIfNeeded(u)
}

// authBackend writes an auth_backend block: one line per rule kind, in
// the order Flussonic applies them.
func (w *printer) authBackend(b *AuthBackend) {
	w.blank()
	w.open("auth_backend", quoteIfNeeded(b.Name))
	for _, r := range []struct {
		rule   string
		values []string
	}{
		{"allow token", b.AllowTokens},
		{"deny token", b.DenyTokens},
		{"allow ip", b.AllowIPs},
		{"deny ip", b.DenyIPs},
		{"allow country", b.AllowCountries},
		{"deny country", b.DenyCountries},
		{"allow ua", b.AllowUAs},
		{"deny ua", b.DenyUAs},
	} {
		if len(r.values) > 0 {
			w.line(append(strings.Fields(r.rule), quoteEach(r.values)...)...)
		}
	}
	for _, u := range b.Backends {
		w.line("backend", quoteIfNeeded(u.URL))
	}
	if b.AllowDefault {
		w.line("allow", "default")
	}
	w.close()
}

// listenWords writes a listener: its port and its TLS options.
func listenWords(proto string, ln Listen) []string {
	words := []string{proto, quoteIfNeeded(ln.Spec().String())}
	if ln.Certificate != "" {
		words = append(words, opt("certificate", ln.Certificate))
	}
	if ln.CertificateKey != "" {
		words = append(words, opt("certificate_key", ln.CertificateKey))
	}
	if len(ln.SSLProtocols) > 0 {
		words = append(words, opt("ssl_protocols", strings.Join(ln.SSLProtocols, ",")))
	}
	return words
}
