package config

// Fail closed. The language holds every protection directive Flussonic
// documents, but each one protects only once its checker, limit or
// listener is built. Until then a configuration that uses it is refused,
// naming the position of the use: a server that runs open what the
// operator protected, with no word in the log, is the one failure this
// must never have.
//
// protectionEntries are these directives' rows of the grammar table
// (grammar.go), the single place that says what works. Flipping an entry
// from notBuilt to on lets configurations that use it load; an entry is
// flipped in the commit that makes it work, with the test that shows it
// working.

// refusal is the message of a use of an entry that is not built.
const refusal = "%s is not supported yet; refusing to run unprotected what the config protects"

// protectionEntries lists every protection directive and option of the
// language. The keys are what the refusal names.
var protectionEntries = map[string]entry{
	// on_play (and auth, its alias) and on_publish, by where they stand:
	// each level is inherited differently (a stream's own, its
	// template's, the server's).
	"on_play in a stream":        on,
	"on_play in a template":      on,
	"on_play at server level":    on,
	"on_publish in a stream":     on,
	"on_publish in a template":   on,
	"on_publish at server level": on,

	// The kinds of URL they take. "true" (allow all) needs no entry: it
	// protects nothing.
	"on_play http(s)://":        on,
	"on_play auth://":           on,
	"on_play securetoken://":    on,
	"on_publish http(s)://":     on,
	"on_publish auth://":        on,
	"on_publish securetoken://": on,

	// Their options (auth_spec).
	"on_play domains":                 on,
	"on_play max_sessions":            on,
	"on_play allowed_countries":       on,
	"on_play disallowed_countries":    on,
	"on_play soft_limitation":         on,
	"on_play session_keys":            on,
	"on_publish domains":              on,
	"on_publish max_sessions":         notBuilt,
	"on_publish allowed_countries":    on,
	"on_publish disallowed_countries": on,
	"on_publish soft_limitation":      notBuilt,
	"on_publish session_keys":         notBuilt,

	// Content protection: a stream's drm line by its vendor. Any vendor but
	// cpix is refused ("drm VENDOR" is no entry, and its line is kept as
	// "stream drm" text, refused). cpix: keys (protocols/cpix,
	// actors/keys), the gateway's encrypting outputs (gateway/play's
	// protect*.go) and the refusal of what cannot be encrypted.
	"drm cpix": on,

	// A stream's publish password.
	"password": on,

	// auth_backend blocks: the block with its token, ip and user agent
	// rules and allow default; its HTTP backends; its country rules
	// (which need GeoIP).
	"auth_backend":         on,
	"auth_backend backend": on,
	"auth_backend country": on,

	// Server-wide settings.
	"geoip":                        on,
	"api_allowed_from":             on,
	"auth_token":                   on,
	"max_sessions at server level": on,

	// TLS listeners and their certificate options.
	"https listener":           on,
	"rtmps listener":           on,
	"rtsps listener":           on,
	"listener certificate":     on,
	"listener certificate_key": on,
	"listener ssl_protocols":   on,
}

// need refuses the use of entry key at p (or ptr's recorded position)
// unless the entry is built. A key missing from the table is refused too:
// what is not listed is not known to work.
func (v *validator) need(key string, p position, ptr string) { v.needNamed(key, key, p, ptr) }
