package auth

import (
	"fmt"
	"net/http"
	"net/netip"
	"strconv"

	"streamhive/actors/config"
)

// Book is the protection of every stream under one configuration: it
// implements Policies. It is immutable once built and safe for concurrent
// use; Play and Publish are a map lookup for configured streams (and a
// walk over the templates' prefixes for names that are not configured:
// published streams that match a template).
//
// A stream's policy comes from its own on_play / on_publish, else its
// template's, else the server's. Its publish password is its own, else
// its template's.
type Book struct {
	cfg                 *config.Server // the snapshot it was built from; read only
	play, publish       map[string]Policy
	tplPlay, tplPublish map[string]Policy // by template name
	srvPlay, srvPublish Policy
	countries           Countries // the geoip database; nil without one
}

// Country returns ip's ISO 3166 country code from the configuration's
// geoip database, "" when there is none or it does not know ip: the
// sessions record it.
func (b *Book) Country(ip netip.Addr) string {
	if b == nil || b.countries == nil {
		return ""
	}
	c, _ := b.countries.Country(ip)
	return c
}

// Options configure NewBook.
type Options struct {
	// HTTPClient asks the HTTP backends. Nil: a new NewHTTPClient. Pass
	// the same client to every Book of a server so that reloads keep the
	// pooled connections.
	HTTPClient *http.Client
}

// NewBook builds the Book of cfg. What only shows when the protection is
// built (a geoip file that cannot be read or is not a country database,
// an auth://NAME without its auth_backend, a backend URL that is not
// http(s), a Lua script, country lists without geoip, an address list
// entry that does not parse) is an error wrapping config.ErrInvalid, a
// config.ErrorList naming each problem's JSON pointer: the configuration
// must not load.
func NewBook(cfg *config.Server, opts Options) (*Book, error) {
	registerMetrics()
	if opts.HTTPClient == nil {
		opts.HTTPClient = NewHTTPClient()
	}
	bb := &builder{cfg: cfg, env: policyEnv{client: opts.HTTPClient}, memo: map[policyKey]*StreamPolicy{}}
	bb.openGeoIP()
	bb.buildRuleSets()
	b := bb.build()
	if len(bb.errs) > 0 {
		return nil, bb.errs
	}
	return b, nil
}

// Play implements Policies.
func (b *Book) Play(stream string) Policy {
	if p, ok := b.play[stream]; ok {
		return p
	}
	if p, ok := b.tplPlay[b.cfg.TemplateFor(&config.Stream{Name: stream})]; ok {
		return p
	}
	return b.srvPlay
}

// Publish implements Policies.
func (b *Book) Publish(stream string) Policy {
	if p, ok := b.publish[stream]; ok {
		return p
	}
	if p, ok := b.tplPublish[b.cfg.TemplateFor(&config.Stream{Name: stream})]; ok {
		return p
	}
	return b.srvPublish
}

// TokenKey implements TokenKeyer: the configuration's `auth_token`, else
// DefaultTokenKey.
func (b *Book) TokenKey() string {
	if b.cfg.AuthToken != "" {
		return b.cfg.AuthToken
	}
	return DefaultTokenKey
}

// builder carries NewBook's state: the policies built so far (shared by
// every stream that inherits the same spec) and the problems found.
type builder struct {
	cfg  *config.Server
	env  policyEnv
	memo map[policyKey]*StreamPolicy
	errs config.ErrorList
}

type policyKey struct {
	spec     *config.AuthSpec
	password string
	publish  bool
}

func (bb *builder) fail(pointer string, err error) {
	bb.errs = append(bb.errs, &config.Error{Pointer: pointer, Msg: err.Error()})
}

func (bb *builder) openGeoIP() {
	if bb.cfg.GeoIP == "" {
		return
	}
	db, err := OpenGeoIP(bb.cfg.GeoIP)
	if err != nil {
		bb.fail("/geoip", err)
		return
	}
	bb.env.countries = db
}

func (bb *builder) buildRuleSets() {
	bb.env.sets = make(map[string]*RuleSet, len(bb.cfg.AuthBackends))
	for i, ab := range bb.cfg.AuthBackends {
		ptr := "/auth_backends/" + strconv.Itoa(i)
		if _, dup := bb.env.sets[ab.Name]; dup {
			bb.fail(ptr, fmt.Errorf("%w: auth_backend %q defined twice", ErrRule, ab.Name))
			continue
		}
		set, err := NewRuleSet(ab, bb.env.countries, bb.env.client)
		if err != nil {
			bb.fail(ptr, err)
			continue
		}
		bb.env.sets[ab.Name] = set
	}
}

func (bb *builder) build() *Book {
	cfg := bb.cfg
	b := &Book{
		cfg: cfg, play: make(map[string]Policy, len(cfg.Streams)), publish: make(map[string]Policy, len(cfg.Streams)),
		tplPlay: make(map[string]Policy, len(cfg.Templates)), tplPublish: make(map[string]Policy, len(cfg.Templates)),
		countries: bb.env.countries,
	}
	b.srvPlay = bb.policy("", cfg.OnPlay, "", false)
	b.srvPublish = bb.policy("", cfg.OnPublish, "", true)
	for i := range cfg.Templates {
		t := &cfg.Templates[i]
		ptr := "/templates/" + strconv.Itoa(i)
		b.tplPlay[t.Name] = bb.policy(ptr, orSpec(t.OnPlay, cfg.OnPlay), "", false)
		b.tplPublish[t.Name] = bb.policy(ptr, orSpec(t.OnPublish, cfg.OnPublish), t.Password, true)
	}
	for i := range cfg.Streams {
		st := &cfg.Streams[i]
		ptr := "/streams/" + strconv.Itoa(i)
		var tpl config.MediaOptions
		if t, ok := cfg.Template(cfg.TemplateFor(st)); ok {
			tpl = t.MediaOptions
		}
		b.play[st.Name] = bb.policy(ptr, orSpec(st.OnPlay, tpl.OnPlay, cfg.OnPlay), "", false)
		password := st.Password
		if password == "" {
			password = tpl.Password
		}
		b.publish[st.Name] = bb.policy(ptr, orSpec(st.OnPublish, tpl.OnPublish, cfg.OnPublish), password, true)
	}
	return b
}

// policy returns the (shared) policy of spec and password, nil when both
// are empty. ptr names the object that uses it, for errors.
func (bb *builder) policy(ptr string, spec *config.AuthSpec, password string, publish bool) Policy {
	key := policyKey{spec, password, publish}
	p, seen := bb.memo[key]
	if !seen {
		env := bb.env
		var err error
		p, err = newStreamPolicy(spec, password, publish, env)
		if err != nil {
			field := "/on_play"
			if publish {
				field = "/on_publish"
			}
			bb.fail(ptr+field, err)
		}
		bb.memo[key] = p
	}
	if p == nil {
		return nil // no typed nil inside the interface: nil means unprotected
	}
	return p
}

// orSpec is the first spec set.
func orSpec(specs ...*config.AuthSpec) *config.AuthSpec {
	for _, s := range specs {
		if s != nil {
			return s
		}
	}
	return nil
}
