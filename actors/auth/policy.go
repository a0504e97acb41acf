package auth

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"net/http"
	"strings"

	"streamhive/actors/config"
)

// StreamPolicy is one stream's protection in one direction: the Policy
// the Book hands out. For one request it runs, in order:
//
//  1. publish only: the stream's `password` (constant time), if set;
//  2. `domains`: a Referer naming another site is denied;
//  3. country lists: a disallowed country (or, with a disallowed list,
//     an address without a country) is denied; an allowed country is
//     allowed "without any other checks" (Flussonic's words), so the URL's
//     checker is skipped; with an allowed list, no URL and another
//     country, denied;
//  4. the URL's checker (http(s)://, auth://NAME, securetoken://); no URL
//     (or `true`) allows what passed the checks above.
type StreamPolicy struct {
	publish   bool
	password  *[sha256.Size]byte // hashed, so the compare takes one time whatever its length
	domains   domainList
	countries countryLists
	checker   Checker // nil: no URL
	kind      Kind    // the checker's kind
	limits    Limits
}

// policyEnv is what building a policy needs from the Book.
type policyEnv struct {
	countries Countries           // nil: no geoip configured
	sets      map[string]*RuleSet // auth_backend blocks by name
	client    *http.Client
}

// newStreamPolicy builds the policy of spec (may be nil) and, for
// publish, password (may be empty). Both empty: nil, unprotected.
func newStreamPolicy(spec *config.AuthSpec, password string, publish bool, env policyEnv) (*StreamPolicy, error) {
	if spec == nil && password == "" {
		return nil, nil
	}
	p := &StreamPolicy{publish: publish}
	if password != "" {
		sum := sha256.Sum256([]byte(password))
		p.password = &sum
	}
	if spec == nil {
		return p, nil
	}
	var err error
	if p.domains, err = newDomainList(spec.Domains); err != nil {
		return nil, err
	}
	if p.countries, err = newCountryLists(spec.AllowedCountries, spec.DisallowedCountries, env.countries); err != nil {
		return nil, err
	}
	if p.checker, p.kind, err = newURLChecker(spec.URL, env); err != nil {
		return nil, err
	}
	p.limits = Limits{MaxSessions: spec.MaxSessions, SoftLimitation: spec.SoftLimitation, SessionKeys: spec.SessionKeys}
	return p, nil
}

// newURLChecker reads an auth_spec URL. Lua scripts (a path on disk) and
// anything else we cannot run are errors: never run open what the
// operator protected.
func newURLChecker(raw string, env policyEnv) (Checker, Kind, error) {
	switch {
	case raw == "" || raw == "true":
		return nil, KindNone, nil
	case strings.HasPrefix(raw, "http://"), strings.HasPrefix(raw, "https://"):
		b, err := NewHTTPBackend(raw, env.client)
		return b, KindHTTP, err
	case strings.HasPrefix(raw, "auth://"):
		name := strings.TrimPrefix(raw, "auth://")
		set, ok := env.sets[name]
		if !ok {
			return nil, 0, fmt.Errorf("%w: auth://%s: no auth_backend of that name", ErrRule, name)
		}
		return set, KindAuthBackend, nil
	case strings.HasPrefix(raw, "securetoken://"):
		st, err := NewSecureToken(raw)
		return st, KindSecureToken, err
	}
	return nil, 0, fmt.Errorf("%w: want http(s)://, auth://NAME, securetoken://SECRET or true", ErrRule)
}

// Limits implements Policy.
func (p *StreamPolicy) Limits() Limits { return p.limits }

// Check implements Checker.
func (p *StreamPolicy) Check(ctx context.Context, r Request) Decision {
	d, k := p.decide(ctx, r)
	countDecision(p.publish, k, d.Verdict)
	return d
}

func (p *StreamPolicy) decide(ctx context.Context, r Request) (Decision, Kind) {
	if p.password != nil {
		sum := sha256.Sum256([]byte(r.Password))
		if subtle.ConstantTimeCompare(sum[:], p.password[:]) != 1 {
			return ruleDecision(Deny, "password mismatch"), KindPassword
		}
	}
	if !p.domains.allows(r.Referer) {
		return ruleDecision(Deny, "referer not allowed"), KindDomains
	}
	if d, ok := p.countries.decide(r.IP); ok {
		return d, KindCountry
	}
	if len(p.countries.allow) > 0 && p.checker == nil {
		return ruleDecision(Deny, "country not allowed"), KindCountry
	}
	if p.checker == nil {
		return ruleDecision(Allow, "checks passed"), KindNone
	}
	return p.checker.Check(ctx, r), p.kind
}
