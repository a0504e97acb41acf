package config

// Protection is the server-wide part of viewer and publisher protection
// (server_config: auth_backends, geoip, api_allowed_from, auth_token,
// max_sessions), and the server-wide on_play / on_publish that streams
// and templates without their own inherit.
type Protection struct {
	AuthBackends []AuthBackend `json:"auth_backends,omitempty"`
	// OnPlay and OnPublish apply to every stream whose own (or template's)
	// is unset: Flussonic's global `auth` / `on_play` / `on_publish`.
	OnPlay    *AuthSpec `json:"on_play,omitempty"`
	OnPublish *AuthSpec `json:"on_publish,omitempty"`
	// GeoIP is the path of a MaxMind country (or city) database.
	GeoIP string `json:"geoip,omitempty"`
	// APIAllowedFrom lists the subnets (CIDR) the Control API and
	// /metrics accept requests from; empty: any.
	APIAllowedFrom []string `json:"api_allowed_from,omitempty"`
	// AuthToken is the query key that carries a viewer's token; "token"
	// when empty.
	AuthToken string `json:"auth_token,omitempty"`
	// MaxSessions caps the play sessions of the whole server; 0: none.
	MaxSessions int `json:"max_sessions,omitempty"`
}

// AuthSpec is auth_spec (`on_play`, `auth`, `on_publish`): an
// authorization backend and the checks around it.
type AuthSpec struct {
	// URL is http(s)://... (a backend speaking auth-backend.yaml),
	// auth://NAME (an auth_backend block), or securetoken://SECRET (a
	// secure link; option no_check_ip=true). Empty: no backend, only the
	// other checks below.
	URL                 string   `json:"url,omitempty"`
	Domains             []string `json:"domains,omitempty"` // allowed Referer hosts
	MaxSessions         int      `json:"max_sessions,omitempty"`
	AllowedCountries    []string `json:"allowed_countries,omitempty"`
	DisallowedCountries []string `json:"disallowed_countries,omitempty"`
	SoftLimitation      bool     `json:"soft_limitation,omitempty"`
	SessionKeys         []string `json:"session_keys,omitempty"` // name ip proto token, or query keys

	// at is where the parser read the spec: "" the directive, "url", each
	// option by its JSON name, each list element as "domains/1". Nil for
	// a spec that came from JSON.
	at positions
	// written is the directive as written (on_play, auth or on_publish),
	// so a message names what the operator wrote.
	written string
}

// AuthBackend is auth_backend_config: `auth_backend NAME { ... }`, rules
// applied in Flussonic's order (allow token, deny token, allow ip, deny
// ip, allow country, deny country, allow ua, deny ua), then its backends
// asked in parallel, then AllowDefault.
type AuthBackend struct {
	Name           string           `json:"name"`
	AllowTokens    []string         `json:"allow_tokens,omitempty"`
	DenyTokens     []string         `json:"deny_tokens,omitempty"`
	AllowIPs       []string         `json:"allow_ips,omitempty"` // addresses or CIDR (172.16/24 in the file)
	DenyIPs        []string         `json:"deny_ips,omitempty"`
	AllowCountries []string         `json:"allow_countries,omitempty"`
	DenyCountries  []string         `json:"deny_countries,omitempty"`
	AllowUAs       []string         `json:"allow_uas,omitempty"` // substrings of User-Agent
	DenyUAs        []string         `json:"deny_uas,omitempty"`
	Backends       []AuthBackendURL `json:"backends,omitempty"`
	AllowDefault   bool             `json:"allow_default,omitempty"`

	pos position  // where the parser read it; zero when it came from JSON
	at  positions // each rule's values by JSON name and index ("allow_ips/0"), and "backends"
}

// AuthBackendURL is auth_backend_url: one HTTP backend of an auth_backend.
type AuthBackendURL struct {
	URL string `json:"url"`
}

// positions maps the JSON pointer of a value, relative to the object that
// holds it, to where the parser read it.
type positions map[string]position

// set records p for key unless key already has a position: the first
// line that sets a value names it.
func (ps *positions) set(key string, p position) {
	if *ps == nil {
		*ps = positions{}
	}
	if _, ok := (*ps)[key]; !ok {
		(*ps)[key] = p
	}
}

// firstKnown returns the first known position of ps.
func firstKnown(ps ...position) position {
	for _, p := range ps {
		if p.known() {
			return p
		}
	}
	return position{}
}
