package auth

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"streamhive/actors/config"
)

// RuleSet is `auth_backend NAME { ... }` (on_play auth://NAME), after
// Flussonic's authorization configurator: the first rule that matches
// decides, in this order: allow token, deny token, allow ip, deny ip,
// allow country, deny country, allow ua, deny ua; then every backend is
// asked in parallel; then, when none answered, allow_default.
//
// Of the backends' answers the first allow (or redirect) wins; when every
// backend answered and at least one denied, the first deny is the
// decision. Only when none answered does allow_default decide (the
// documentation: "the default behavior in the case when all backends are
// not responding"); without backends it decides at once.
type RuleSet struct {
	allowTokens, denyTokens stringSet
	allowIPs, denyIPs       ipList
	countries               countryLists
	allowUAs, denyUAs       []string // substrings of User-Agent
	backends                []*HTTPBackend
	allowDefault            bool
}

// NewRuleSet builds cfg's rules; countries places viewers for the country
// rules (nil: none configured, and country rules are an error), client
// asks the backends.
func NewRuleSet(cfg config.AuthBackend, countries Countries, client *http.Client) (*RuleSet, error) {
	s := &RuleSet{
		allowTokens:  newStringSet(cfg.AllowTokens, same),
		denyTokens:   newStringSet(cfg.DenyTokens, same),
		allowDefault: cfg.AllowDefault,
	}
	var err error
	if s.allowIPs, err = parseIPList(cfg.AllowIPs); err != nil {
		return nil, err
	}
	if s.denyIPs, err = parseIPList(cfg.DenyIPs); err != nil {
		return nil, err
	}
	if s.countries, err = newCountryLists(cfg.AllowCountries, cfg.DenyCountries, countries); err != nil {
		return nil, err
	}
	if s.allowUAs, err = userAgents(cfg.AllowUAs); err != nil {
		return nil, err
	}
	if s.denyUAs, err = userAgents(cfg.DenyUAs); err != nil {
		return nil, err
	}
	for i, b := range cfg.Backends {
		hb, err := NewHTTPBackend(b.URL, client)
		if err != nil {
			return nil, fmt.Errorf("backend %d: %w", i+1, err)
		}
		s.backends = append(s.backends, hb)
	}
	return s, nil
}

func userAgents(list []string) ([]string, error) {
	for _, ua := range list {
		if ua == "" {
			return nil, fmt.Errorf("%w: an empty user agent would match every viewer", ErrRule)
		}
	}
	return list, nil
}

// Check implements Checker.
func (s *RuleSet) Check(ctx context.Context, r Request) Decision {
	if d, ok := s.rules(r); ok {
		return d
	}
	if d, ok := s.askBackends(ctx, r); ok {
		return d
	}
	if s.allowDefault {
		return ruleDecision(Allow, "allow_default")
	}
	return Decision{Verdict: Deny, Duration: DefaultAuthDuration, Reason: ReasonNoAnswer}
}

// rules applies the lists in Flussonic's order; ok is false when none
// matched.
func (s *RuleSet) rules(r Request) (Decision, bool) {
	switch {
	case r.Token != "" && s.allowTokens.has(r.Token):
		return ruleDecision(Allow, "token allowed"), true
	case r.Token != "" && s.denyTokens.has(r.Token):
		return ruleDecision(Deny, "token denied"), true
	case s.allowIPs.contains(r.IP):
		return ruleDecision(Allow, "ip allowed"), true
	case s.denyIPs.contains(r.IP):
		return ruleDecision(Deny, "ip denied"), true
	}
	if d, ok := s.countries.decide(r.IP); ok {
		return d, true
	}
	switch {
	case containsAny(r.UserAgent, s.allowUAs):
		return ruleDecision(Allow, "user agent allowed"), true
	case containsAny(r.UserAgent, s.denyUAs):
		return ruleDecision(Deny, "user agent denied"), true
	}
	return Decision{}, false
}

func ruleDecision(v Verdict, reason string) Decision {
	return Decision{Verdict: v, Duration: DefaultAuthDuration, Reason: reason}
}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// askBackends asks every backend at once. The first allow or redirect
// returns at once (the others are cancelled); otherwise, once all have
// answered or given up, the first deny. ok is false when none answered.
func (s *RuleSet) askBackends(ctx context.Context, r Request) (Decision, bool) {
	if len(s.backends) == 0 {
		return Decision{}, false
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type answer struct {
		d  Decision
		ok bool
	}
	answers := make(chan answer, len(s.backends)) // buffered: late answers never block
	for _, b := range s.backends {
		go func() {
			d, ok := b.ask(ctx, r)
			answers <- answer{d, ok}
		}()
	}
	var deny *Decision
	for range s.backends {
		a := <-answers
		switch {
		case !a.ok:
		case a.d.Verdict != Deny:
			return a.d, true
		case deny == nil:
			deny = &a.d
		}
	}
	if deny != nil {
		return *deny, true
	}
	return Decision{}, false
}
