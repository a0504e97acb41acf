package config

import (
	"strconv"
	"strings"
)

// refuseUnbuilt finds every use of a protection entry in the
// configuration and refuses those not built (protection.go). It runs last
// in Validate, over a configuration whose values are otherwise checked.
func (v *validator) refuseUnbuilt() {
	s := v.s
	v.specUses(s.OnPlay, "on_play", "at server level", v.s.pos["/on_play"], "/on_play")
	v.specUses(s.OnPublish, "on_publish", "at server level", v.s.pos["/on_publish"], "/on_publish")
	for i := range s.Templates {
		t := &s.Templates[i]
		v.mediaUses(&t.MediaOptions, "in a template", t.pos, "/templates/"+strconv.Itoa(i))
	}
	for i := range s.Streams {
		st := &s.Streams[i]
		v.mediaUses(&st.MediaOptions, "in a stream", st.pos, "/streams/"+strconv.Itoa(i))
	}
	for i := range s.AuthBackends {
		v.backendUses(&s.AuthBackends[i], "/auth_backends/"+strconv.Itoa(i))
	}
	if s.GeoIP != "" {
		v.need("geoip", position{}, "/geoip")
	}
	if len(s.APIAllowedFrom) > 0 {
		v.need("api_allowed_from", position{}, "/api_allowed_from")
	}
	if s.AuthToken != "" {
		v.need("auth_token", position{}, "/auth_token")
	}
	if s.MaxSessions != 0 {
		v.need("max_sessions at server level", position{}, "/max_sessions")
	}
	v.listenerUses()
}

func (v *validator) mediaUses(m *MediaOptions, where string, p position, ptr string) {
	v.specUses(m.OnPlay, "on_play", where, p, ptr+"/on_play")
	v.specUses(m.OnPublish, "on_publish", where, p, ptr+"/on_publish")
	if m.Password != "" {
		v.need("password", firstKnown(m.passwordPos, p), ptr+"/password")
	}
	v.drm(p, ptr, m.DRM)
}

// specUses refuses an on_play or on_publish (kind) standing where, its
// kind of URL, and each option it sets.
func (v *validator) specUses(a *AuthSpec, kind, where string, p position, ptr string) {
	if a == nil {
		return
	}
	at := func(key string) position { return firstKnown(a.at[key], a.at[""], p) }
	name := func(key string) string {
		if a.written == "auth" {
			return strings.Replace(key, "on_play", "auth (on_play)", 1)
		}
		return key
	}
	key := kind + " " + where
	v.needNamed(key, name(key), at(""), ptr)
	if k := authURLKind(a.URL); k != "" {
		key := kind + " " + k
		v.needNamed(key, name(key), at("url"), ptr+"/url")
	}
	for _, o := range authOptionsSet(a) {
		key := kind + " " + o
		v.needNamed(key, name(key), at(o), ptr+"/"+o)
	}
}

// authURLKind is the table's name for the kind of an auth URL: "" for no
// URL, "true" (allow all, which protects nothing) and URLs that Validate
// refuses anyway.
func authURLKind(u string) string {
	switch urlScheme(u) {
	case "http", "https":
		return "http(s)://"
	case "auth":
		return "auth://"
	case "securetoken":
		return "securetoken://"
	}
	return ""
}

// authOptionsSet names the options a spec sets, by their JSON names.
func authOptionsSet(a *AuthSpec) []string {
	var out []string
	for _, o := range []struct {
		name string
		set  bool
	}{
		{"domains", len(a.Domains) > 0},
		{"max_sessions", a.MaxSessions != 0},
		{"allowed_countries", len(a.AllowedCountries) > 0},
		{"disallowed_countries", len(a.DisallowedCountries) > 0},
		{"soft_limitation", a.SoftLimitation},
		{"session_keys", len(a.SessionKeys) > 0},
	} {
		if o.set {
			out = append(out, o.name)
		}
	}
	return out
}

func (v *validator) backendUses(b *AuthBackend, ptr string) {
	v.need("auth_backend", b.pos, ptr)
	if len(b.Backends) > 0 {
		v.need("auth_backend backend", firstKnown(b.at["backends"], b.pos), ptr+"/backends")
	}
	for _, r := range []struct {
		field string
		list  []string
	}{{"allow_countries", b.AllowCountries}, {"deny_countries", b.DenyCountries}} {
		if len(r.list) > 0 {
			v.need("auth_backend country", firstKnown(b.at[r.field+"/0"], b.pos), ptr+"/"+r.field)
			return
		}
	}
}

// listenerUses refuses the TLS listeners and the certificate options of
// any listener.
func (v *validator) listenerUses() {
	for _, g := range v.s.Listeners.groups() {
		for i, ln := range g.list {
			ptr := "/listeners/" + g.name + "/" + strconv.Itoa(i)
			if tlsListener(g.name) {
				v.need(g.name+" listener", position{}, ptr)
			}
			for _, o := range []struct {
				name string
				set  bool
			}{{"certificate", ln.Certificate != ""}, {"certificate_key", ln.CertificateKey != ""}, {"ssl_protocols", len(ln.SSLProtocols) > 0}} {
				if o.set {
					v.need("listener "+o.name, firstKnown(v.s.pos[ptr+"/"+o.name], v.s.pos[ptr]), ptr+"/"+o.name)
				}
			}
		}
	}
}

// tlsListener reports whether listeners of protocol name speak TLS.
func tlsListener(name string) bool { return name == "https" || name == "rtmps" || name == "rtsps" }

// needNamed is need with the use named as the operator wrote it.
func (v *validator) needNamed(key, name string, p position, ptr string) {
	if grammar[key].state == works {
		return
	}
	v.add(p, ptr, refusal, name)
}
