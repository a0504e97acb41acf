package config

import (
	"strconv"
	"strings"
)

// The grammar of on_play (auth, its alias) and on_publish:
//
//	on_play [URL] [domains=a.com,b.com] [max_sessions=N]
//	        [allowed_countries=RU,US] [disallowed_countries=GB]
//	        [soft_limitation=true] [session_keys=name,ip,proto,token];
//
// at server level, in a template and in a stream. URL is http(s)://... (a
// backend speaking auth-backend.yaml), auth://NAME (an auth_backend block),
// securetoken://SECRET[?no_check_ip=true] (a secure link) or true (allow
// all: overrides a template's or the server's). The options are the API's
// auth_spec fields under their API names, lists comma-separated. In a
// stream or template each option is also a directive of its own, its list
// space-separated (`domains a.com b.com;`, `max_sessions 3;`), for the
// domain lock and GeoIP lines Flussonic documents apart from on_play; both
// fill the same on_play, which the printer writes as one line.

// authField is one option of auth_spec: a list, a number or a flag.
type authField struct {
	list func(*AuthSpec) *[]string
	num  func(*AuthSpec) *int
	flag func(*AuthSpec) *bool
}

var authFields = map[string]authField{
	"domains":              {list: func(a *AuthSpec) *[]string { return &a.Domains }},
	"allowed_countries":    {list: func(a *AuthSpec) *[]string { return &a.AllowedCountries }},
	"disallowed_countries": {list: func(a *AuthSpec) *[]string { return &a.DisallowedCountries }},
	"session_keys":         {list: func(a *AuthSpec) *[]string { return &a.SessionKeys }},
	"max_sessions":         {num: func(a *AuthSpec) *int { return &a.MaxSessions }},
	"soft_limitation":      {flag: func(a *AuthSpec) *bool { return &a.SoftLimitation }},
}

// authOptionNames is authFields' keys in the order the printer writes them.
var authOptionNames = []string{"domains", "max_sessions", "allowed_countries", "disallowed_countries", "soft_limitation", "session_keys"}

// item is one value read from config text and where it starts.
type item struct {
	text string
	pos  position
}

// authSpec reads `on_play ...`, `auth ...` or `on_publish ...` into *dst,
// keeping what option directives read before it.
func (p *parser) authSpec(s *stmt, dst **AuthSpec) {
	if !p.noBlock(s) {
		return
	}
	if *dst != nil && (*dst).written != "" {
		p.errorf(s.name.pos, "%s repeats %s at %d:%d (auth is on_play's alias): give one", s.name.text,
			(*dst).written, (*dst).at[""].line, (*dst).at[""].col)
		return
	}
	a := *dst
	if a == nil {
		a = &AuthSpec{}
		*dst = a
	}
	a.written = s.name.text
	if a.at == nil {
		a.at = positions{}
	}
	a.at[""] = s.name.pos
	haveURL := false
	for _, o := range s.args {
		switch _, isOpt := authFields[o.key]; {
		case o.option && isOpt:
			p.authOption(a, o)
		case !haveURL:
			a.URL, haveURL = o.text, true
			a.at.set("url", o.pos)
		default:
			p.errorf(o.pos, "unexpected argument %s: %s takes a URL and options %s=...", o.describe(), s.name.text,
				strings.Join(authOptionNames, "=..., "))
		}
	}
}

// authOption reads one key=value option of auth_spec.
func (p *parser) authOption(a *AuthSpec, o token) {
	a.at.set(o.key, o.pos)
	f := authFields[o.key]
	switch {
	case f.list != nil:
		p.authList(a, o.key, f.list(a), splitItems(o))
	case f.num != nil:
		p.intOption(o, f.num(a))
	default:
		switch o.val {
		case "true", "false":
			*f.flag(a) = o.val == "true"
		default:
			p.errorf(o.valPos(), "%s: expected true or false, got %q", o.key, o.val)
		}
	}
}

// authList appends items to the list field key, recording each one's
// position. Country codes are kept upper-case, as ISO 3166 writes them.
func (p *parser) authList(a *AuthSpec, key string, list *[]string, items []item) {
	country := strings.HasSuffix(key, "countries")
	for _, it := range items {
		a.at.set(key+"/"+strconv.Itoa(len(*list)), it.pos)
		if country {
			it.text = upperCountry(it.text)
		}
		*list = append(*list, it.text)
	}
}

// splitItems splits an option's comma-separated value. Positions are
// exact for a value written bare; a quoted value's items all point at its
// start.
func splitItems(o token) []item {
	start := o.valPos()
	var out []item
	off := 0
	for part := range strings.SplitSeq(o.val, ",") {
		p := start
		if !o.quoted {
			p.col += off
		}
		out = append(out, item{part, p})
		off += len(part) + 1
	}
	return out
}

// authDirective handles a stream's or template's `domains a b;`,
// `max_sessions N;`, ...: the option name as a directive, filling on_play.
func authDirective(name string) handler[*MediaOptions] {
	f := authFields[name]
	return func(p *parser, s *stmt, m *MediaOptions) {
		if !p.noBlock(s) {
			return
		}
		if m.OnPlay == nil {
			m.OnPlay = &AuthSpec{}
		}
		a := m.OnPlay
		a.at.set("", s.name.pos)
		switch {
		case f.list != nil:
			if !p.nargs(s, 1, -1, "a value") {
				return
			}
			a.at.set(name, s.name.pos)
			// A word may itself be a comma list (domains a.com,b.com): the
			// printer writes the list comma-joined, so the two read alike.
			var items []item
			for _, t := range s.args {
				for text := range strings.SplitSeq(t.text, ",") {
					items = append(items, item{text, t.pos})
				}
			}
			p.authList(a, name, f.list(a), items)
		case f.num != nil:
			a.at.set(name, s.name.pos)
			p.intArg(s, f.num(a), "a number")
		default:
			a.at.set(name, s.name.pos)
			p.flag(s, f.flag(a))
		}
	}
}
