package auth

import (
	"context"
	"crypto/sha1" //nolint:gosec // Flussonic's securetoken is defined with SHA-1
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// SecureToken is `on_play securetoken://SECRET` (option no_check_ip=true):
// Flussonic's secure links, checked without a backend. A website signs
// each link; the viewer's `token` is
//
//	sha1hex(name + ip + starttime + endtime + secret + salt + user_id) "-" salt "-" endtime "-" starttime ["-" user_id]
//
// (Flussonic's documentation and its PHP example: the hash, salt, end and
// start joined by '-'; user_id is optional and, where present, both
// hashed last and carried last). starttime and endtime are Unix seconds;
// the link is valid from starttime to endtime by our clock.
//
// With no_check_ip the ip part is the literal "no_check_ip" (Flussonic's
// example since 20.07) or empty; without it, the viewer's address.
type SecureToken struct {
	secret    []byte
	noCheckIP bool
	now       func() time.Time
}

// ErrSecureToken wraps a securetoken:// URL that cannot be used.
var ErrSecureToken = errors.New("auth: bad securetoken URL")

// maxSecureToken bounds a token before it is split: 40 hex digits, the
// salt, two timestamps and a user id fit easily.
const maxSecureToken = 1024

// NewSecureToken parses rawURL, securetoken://SECRET[?no_check_ip=true].
// The secret is everything between "securetoken://" and '?', as written;
// an empty secret, or an option other than no_check_ip, is an error.
// Errors never include the secret.
func NewSecureToken(rawURL string) (*SecureToken, error) {
	rest, ok := strings.CutPrefix(rawURL, "securetoken://")
	if !ok {
		return nil, fmt.Errorf("%w: want securetoken://SECRET", ErrSecureToken)
	}
	secret, opts, _ := strings.Cut(rest, "?")
	if secret == "" {
		return nil, fmt.Errorf("%w: empty secret", ErrSecureToken)
	}
	q, err := url.ParseQuery(opts)
	if err != nil {
		return nil, fmt.Errorf("%w: options do not parse", ErrSecureToken)
	}
	st := &SecureToken{secret: []byte(secret), now: time.Now}
	for k, v := range q {
		if k != "no_check_ip" || len(v) != 1 || (v[0] != "true" && v[0] != "false") {
			return nil, fmt.Errorf("%w: option %q: only no_check_ip=true|false is known", ErrSecureToken, k)
		}
		st.noCheckIP = v[0] == "true"
	}
	return st, nil
}

// secureLink is a parsed token.
type secureLink struct {
	hash       [sha1.Size]byte
	salt       string
	start, end int64 // Unix seconds, as written
	startText  string
	endText    string
	userID     string
}

// parseSecureLink splits a token; false when it is not one.
func parseSecureLink(tok string) (secureLink, bool) {
	var l secureLink
	if len(tok) > maxSecureToken {
		return l, false
	}
	parts := strings.SplitN(tok, "-", 5)
	if len(parts) < 4 || len(parts[0]) != 2*sha1.Size {
		return l, false
	}
	if _, err := hex.Decode(l.hash[:], []byte(parts[0])); err != nil {
		return l, false
	}
	var ok1, ok2 bool
	l.salt, l.endText, l.startText = parts[1], parts[2], parts[3]
	l.end, ok1 = unixSeconds(l.endText)
	l.start, ok2 = unixSeconds(l.startText)
	if len(parts) == 5 {
		l.userID = parts[4]
	}
	return l, ok1 && ok2 && len(l.userID) <= maxUserID
}

// unixSeconds reads a timestamp of digits only (no sign, no spaces).
func unixSeconds(s string) (int64, bool) {
	if s == "" || len(s) > 12 || strings.TrimLeft(s, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

// Check implements Checker. An allowed link holds until its endtime, or
// DefaultAuthDuration when that is sooner, and carries its user_id.
func (st *SecureToken) Check(_ context.Context, r Request) Decision {
	l, ok := parseSecureLink(r.Token)
	if !ok {
		return ruleDecision(Deny, "securetoken malformed")
	}
	if !st.signed(l, r) {
		return ruleDecision(Deny, "securetoken mismatch")
	}
	now := st.now().Unix()
	if now < l.start || now > l.end {
		return ruleDecision(Deny, "securetoken expired")
	}
	d := ruleDecision(Allow, "securetoken")
	d.Duration = min(time.Duration(l.end-now+1)*time.Second, DefaultAuthDuration)
	d.UserID = l.userID
	return d
}

// signed reports whether the link's hash is ours for this request.
func (st *SecureToken) signed(l secureLink, r Request) bool {
	if !st.noCheckIP {
		if !r.IP.IsValid() {
			return false
		}
		return st.matches(l, r.Name, r.IP.Unmap().String())
	}
	// Either spelling of "no address": evaluate both so the time taken
	// does not say which one a forger should try.
	a := st.matches(l, r.Name, "no_check_ip")
	b := st.matches(l, r.Name, "")
	return a || b
}

func (st *SecureToken) matches(l secureLink, name, ip string) bool {
	h := sha1.New() //nolint:gosec // see import
	for _, s := range []string{name, ip, l.startText, l.endText} {
		h.Write([]byte(s))
	}
	h.Write(st.secret)
	h.Write([]byte(l.salt))
	h.Write([]byte(l.userID))
	return subtle.ConstantTimeCompare(h.Sum(nil), l.hash[:]) == 1
}
