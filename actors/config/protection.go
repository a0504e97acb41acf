package config

// Fail closed. The language holds every protection directive Flussonic
// documents, but each one protects only once its checker, limit or
// listener is built. Until then a configuration that uses it is refused,
// naming the position of the use: a server that runs open what the
// operator protected, with no word in the log, is the one failure this
// must never have.
//
// protectionTable is the single place that says what works. Flipping an
// entry from notBuilt to built lets configurations that use it load; an
// entry is flipped in the commit that makes it work, with the test that
// shows it working.

// buildState says whether a protection entry is enforced.
type buildState bool

const (
	notBuilt buildState = false
	built    buildState = true
)

// refusal is the message of a use of an entry that is not built.
const refusal = "%s is not supported yet; refusing to run unprotected what the config protects"

// protectionTable lists every protection directive and option of the
// language. The keys are what the refusal names.
var protectionTable = map[string]buildState{
	// on_play (and auth, its alias) and on_publish, by where they stand:
	// each level is inherited differently (a stream's own, its
	// template's, the server's).
	"on_play in a stream":        built,
	"on_play in a template":      built,
	"on_play at server level":    built,
	"on_publish in a stream":     built,
	"on_publish in a template":   built,
	"on_publish at server level": built,

	// The kinds of URL they take. "true" (allow all) needs no entry: it
	// protects nothing.
	"on_play http(s)://":        built,
	"on_play auth://":           built,
	"on_play securetoken://":    built,
	"on_publish http(s)://":     built,
	"on_publish auth://":        built,
	"on_publish securetoken://": built,

	// Their options (auth_spec).
	"on_play domains":                 built,
	"on_play max_sessions":            built,
	"on_play allowed_countries":       built,
	"on_play disallowed_countries":    built,
	"on_play soft_limitation":         built,
	"on_play session_keys":            built,
	"on_publish domains":              built,
	"on_publish max_sessions":         notBuilt,
	"on_publish allowed_countries":    built,
	"on_publish disallowed_countries": built,
	"on_publish soft_limitation":      notBuilt,
	"on_publish session_keys":         notBuilt,

	// A stream's publish password.
	"password": built,

	// auth_backend blocks: the block with its token, ip and user agent
	// rules and allow default; its HTTP backends; its country rules
	// (which need GeoIP).
	"auth_backend":         built,
	"auth_backend backend": built,
	"auth_backend country": built,

	// Server-wide settings.
	"geoip":                        built,
	"api_allowed_from":             built,
	"auth_token":                   built,
	"max_sessions at server level": built,

	// TLS listeners and their certificate options.
	"https listener":           built,
	"rtmps listener":           built,
	"rtsps listener":           built,
	"listener certificate":     built,
	"listener certificate_key": built,
	"listener ssl_protocols":   built,
}

// need refuses the use of entry key at p (or ptr's recorded position)
// unless the entry is built. A key missing from the table is refused too:
// what is not listed is not known to work.
func (v *validator) need(key string, p position, ptr string) { v.needNamed(key, key, p, ptr) }
