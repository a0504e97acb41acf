package api

import (
	"bytes"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"

	"github.com/valyala/fasthttp"

	"streamhive/actors/config"
)

// Authorization follows Flussonic's: edit_auth may do everything, view_auth
// may read. Both come as Basic `login:password`, or as a Bearer token that
// is base64 of `login:password`. With neither configured the API is open.
// Reads accept either pair; writes need edit_auth, so with only view_auth
// configured nobody may write through the API.

// access is what a request may do.
type access uint8

const (
	accessNone access = iota
	accessView
	accessEdit
)

// Realm is sent in WWW-Authenticate with every 401.
const Realm = "streamhive"

// authorize returns what the request's credentials allow under cfg, and
// whether it presented any.
func authorize(rc *fasthttp.RequestCtx, cfg *config.Server) (access, bool) {
	edit, view := configured(cfg.EditAuth), configured(cfg.ViewAuth)
	if edit == nil && view == nil {
		return accessEdit, false
	}
	login, password, ok := credentials(rc.Request.Header.Peek(fasthttp.HeaderAuthorization))
	if !ok {
		return accessNone, false
	}
	switch {
	case edit != nil && secretsEqual(login, password, edit):
		return accessEdit, true
	case view != nil && secretsEqual(login, password, view):
		return accessView, true
	default:
		return accessNone, true
	}
}

func configured(c *config.Credentials) *config.Credentials {
	if c == nil || (c.Login == "" && c.Password == "") {
		return nil
	}
	return c
}

// credentials reads login and password from an Authorization header value.
// The results alias a fresh decode buffer, not the request.
func credentials(h []byte) (login, password []byte, ok bool) {
	scheme, token, found := bytes.Cut(bytes.TrimSpace(h), []byte{' '})
	if !found || (!bytes.EqualFold(scheme, []byte("Basic")) && !bytes.EqualFold(scheme, []byte("Bearer"))) {
		return nil, nil, false
	}
	token = bytes.TrimSpace(token)
	raw := make([]byte, base64.StdEncoding.DecodedLen(len(token)))
	n, err := base64.StdEncoding.Decode(raw, token)
	if err != nil {
		if n, err = base64.RawStdEncoding.Decode(raw, token); err != nil {
			return nil, nil, false
		}
	}
	login, password, found = bytes.Cut(raw[:n], []byte{':'})
	if !found {
		return nil, nil, false
	}
	return login, password, true
}

// secretsEqual compares both halves in constant time: hashing first makes
// the time independent of the lengths too.
func secretsEqual(login, password []byte, want *config.Credentials) bool {
	l1, l2 := sha256.Sum256(login), sha256.Sum256([]byte(want.Login))
	p1, p2 := sha256.Sum256(password), sha256.Sum256([]byte(want.Password))
	return subtle.ConstantTimeCompare(l1[:], l2[:])&subtle.ConstantTimeCompare(p1[:], p2[:]) == 1
}

// deny writes the 401 or 403 for a request that may not do what it asks.
// A request without credentials, or with credentials that match neither
// pair, is not authenticated: 401 with the challenge (RFC 9110 11.6.1),
// so that a client may ask its user again. Only credentials that are
// right but too weak (a view user who writes) get 403.
func deny(rc *fasthttp.RequestCtx, who access, presented bool) {
	switch {
	case !presented:
		challenge(rc, "credentials required")
	case who == accessNone:
		challenge(rc, "wrong credentials")
	default:
		WriteError(rc, fasthttp.StatusForbidden, "forbidden", "these credentials may not do this")
	}
}

// challenge writes a 401 with WWW-Authenticate.
func challenge(rc *fasthttp.RequestCtx, msg string) {
	rc.Response.Header.Set(fasthttp.HeaderWWWAuthenticate, `Basic realm="`+Realm+`"`)
	WriteError(rc, fasthttp.StatusUnauthorized, "unauthorized", msg)
}
