package config

import (
	"strconv"
	"strings"
)

// eventSinkSchemes are the targets an event sink delivers to.
var eventSinkSchemes = []string{"http://", "https://", "log://", "jsonlog://"}

// eventSinks checks the event_sink blocks: unique names, a target the
// server delivers to, filters with keys and values.
func (v *validator) eventSinks() {
	seen := map[string]bool{}
	for i := range v.s.EventSinks {
		e := &v.s.EventSinks[i]
		ptr := "/event_sinks/" + strconv.Itoa(i)
		switch {
		case e.Name == "":
			v.add(e.pos, ptr+"/name", "event_sink without a name")
		case seen[e.Name]:
			v.add(e.pos, ptr+"/name", "duplicate event_sink %q", e.Name)
		case !validQueryKey(e.Name):
			v.add(e.pos, ptr+"/name", "bad event_sink name %q: letters, digits, '-', '_' and '.' only", e.Name)
		}
		seen[e.Name] = true
		if !hasSinkScheme(e.URL) {
			v.add(e.at["url"], ptr+"/url", "event_sink %q: url %q: want http://, https://, log:///path or jsonlog:///path",
				e.Name, RedactURL(e.URL))
		}
		v.eventFilters(e.Only, ptr+"/only", e.at, "only")
		v.eventFilters(e.Except, ptr+"/except", e.at, "except")
		for _, n := range []struct {
			name string
			v    int
		}{{"throttle_delay", e.ThrottleDelay}, {"resend_limit", e.ResendLimit}, {"resend_timeout", e.ResendTimeout}} {
			if n.v < 0 {
				v.add(e.at[n.name], ptr+"/"+n.name, "event_sink %q: %s %d: want 0 or more", e.Name, n.name, n.v)
			}
		}
	}
}

func hasSinkScheme(u string) bool {
	for _, s := range eventSinkSchemes {
		if rest, ok := strings.CutPrefix(u, s); ok && rest != "" {
			return true
		}
	}
	return false
}

func (v *validator) eventFilters(sets []EventFilter, ptr string, at positions, key string) {
	for i, f := range sets {
		p := ptr + "/" + strconv.Itoa(i)
		if len(f) == 0 {
			v.add(at[key+"/"+strconv.Itoa(i)], p, "event_sink %s: an empty filter set", key)
		}
		for k, vals := range f {
			if k == "" || len(vals) == 0 {
				v.add(at[key+"/"+strconv.Itoa(i)], p, "event_sink %s: %q wants a field name and values", key, k)
			}
		}
	}
}
