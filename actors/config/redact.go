package config

import (
	"net/url"
	"strings"
)

// Secrets in a configuration are hidden from view-only API users and from
// every log line with one rule, defined here so that the gateway (which
// redacts the model) and the actors (which log URLs) agree:
//
//   - a URL's password (rtsp://user:PASSWORD@host) is masked, the user kept;
//   - the value of a secret query key (password, passphrase, streamid,
//     token, key, secret, ...) is masked, the key kept;
//   - an RTMP URL's stream key, everything in the path after the
//     application (rtmp://host/app/STREAMKEY), is masked, as encoders and
//     services hand it out as the publishing password;
//   - securetoken://SECRET keeps its options but not its secret;
//   - the same keys in an input's or push's options are masked;
//   - edit_auth is dropped, view_auth's and a stream's password, SRT
//     passphrases, cluster keys and auth_backend tokens are masked.
//
// An empty secret stays empty, so that "not set" remains visible.

// Mask stands in for every hidden secret.
const Mask = "***"

// secretKeys are the query and option keys whose values are secrets.
var secretKeys = map[string]bool{
	"password": true, "passwd": true, "pass": true, "pwd": true, "passphrase": true,
	"secret": true, "token": true, "key": true, "streamid": true, "stream_key": true,
	"streamkey": true, "auth": true, "apikey": true, "api_key": true,
	"access_token": true, "clienttoken": true, "client_token": true, "management_key": true,
	"enc_token": true, "userkey": true, "signature": true, "sign": true, "cluster_key": true,
}

// SecretKey reports whether values of the query or option key k are
// secrets (case-insensitive).
func SecretKey(k string) bool { return secretKeys[strings.ToLower(k)] }

// RedactURL returns raw with its secrets masked (see the rule above). A
// URL that does not parse is returned as a placeholder: its secrets
// cannot be told apart from the rest.
func RedactURL(raw string) string {
	if raw == "" {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable url)"
	}
	if u.Opaque != "" {
		return u.Scheme + ":" + Mask
	}
	var b strings.Builder
	if u.Scheme != "" {
		b.WriteString(u.Scheme + "://")
	}
	if u.User != nil {
		b.WriteString(url.PathEscape(u.User.Username()))
		if _, ok := u.User.Password(); ok {
			b.WriteString(":" + Mask)
		}
		b.WriteByte('@')
	}
	scheme := strings.ToLower(u.Scheme)
	switch {
	case scheme == "securetoken" && u.Host != "":
		b.WriteString(Mask)
	default:
		b.WriteString(u.Host)
	}
	b.WriteString(redactPath(scheme, u.EscapedPath()))
	if u.RawQuery != "" || u.ForceQuery {
		b.WriteString("?" + RedactQuery(u.RawQuery))
	}
	if u.Fragment != "" {
		b.WriteString("#" + Mask)
	}
	return b.String()
}

// redactPath masks an RTMP URL's stream key: what follows the application.
func redactPath(scheme, path string) string {
	if app, _, ok := rtmpKey(scheme, path); ok {
		return "/" + app + "/" + Mask
	}
	return path
}

// rtmpKey splits an RTMP URL's path into the application and the stream
// key; false for other schemes and for a path without a key.
func rtmpKey(scheme, path string) (app, key string, ok bool) {
	if !strings.HasPrefix(scheme, "rtmp") {
		return "", "", false
	}
	app, key, ok = strings.Cut(strings.TrimPrefix(path, "/"), "/")
	return app, key, ok && key != ""
}

// RedactSecret masks a secret value; "" stays "".
func RedactSecret(v string) string { return mask(v) }

// RedactQuery returns a raw query string (no '?') with the values of
// secret keys (token, password, ...) masked, keeping the order and the
// encoding of everything else: a viewer session's query as view-only API
// users see it.
func RedactQuery(q string) string {
	parts := strings.Split(q, "&")
	for i, p := range parts {
		k, _, hasValue := strings.Cut(p, "=")
		name, err := url.QueryUnescape(k)
		if err != nil {
			name = k
		}
		if hasValue && SecretKey(name) {
			parts[i] = k + "=" + Mask
		}
	}
	return strings.Join(parts, "&")
}

// RedactOptions returns a copy of an input's or push's options with the
// values of secret keys masked; nil stays nil.
func RedactOptions(opts map[string]string) map[string]string {
	if opts == nil {
		return nil
	}
	c := make(map[string]string, len(opts))
	for k, v := range opts {
		if SecretKey(k) {
			v = mask(v)
		}
		c[k] = v
	}
	return c
}

// URLSecrets returns the secret parts of raw that RedactURL masks, for
// scrubbing them out of text that quotes the URL in some other form (a
// library's error message).
func URLSecrets(raw string) []string {
	u, err := url.Parse(raw)
	if err != nil {
		return []string{raw}
	}
	var s []string
	if p, ok := u.User.Password(); ok && p != "" {
		s = append(s, p, url.QueryEscape(p))
	}
	scheme := strings.ToLower(u.Scheme)
	if scheme == "securetoken" && u.Host != "" {
		s = append(s, u.Host)
	}
	if _, key, ok := rtmpKey(scheme, u.Path); ok {
		s = append(s, key)
	}
	for k, vs := range u.Query() {
		if SecretKey(k) {
			for _, v := range vs {
				if v != "" {
					s = append(s, v, url.QueryEscape(v))
				}
			}
		}
	}
	return s
}

// Scrub returns text with every secret of the URLs masked: for error
// messages that may quote a URL, whole or in parts.
func Scrub(text string, urls ...string) string {
	for _, raw := range urls {
		if raw == "" {
			continue
		}
		text = strings.ReplaceAll(text, raw, RedactURL(raw))
		for _, s := range URLSecrets(raw) {
			if len(s) >= 3 { // shorter ones would mask unrelated text
				text = strings.ReplaceAll(text, s, Mask)
			}
		}
	}
	return text
}

func mask(v string) string {
	if v == "" {
		return ""
	}
	return Mask
}

// ScrubError returns err with its message scrubbed of the URLs' secrets
// (Scrub); errors.Is and errors.As still see err. Nil stays nil, and an
// error whose message holds no secret is returned as it is.
func ScrubError(err error, urls ...string) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	if safe := Scrub(msg, urls...); safe != msg {
		return &scrubbedError{err: err, msg: safe}
	}
	return err
}

// scrubbedError is an error whose message had secrets masked.
type scrubbedError struct {
	err error
	msg string
}

func (e *scrubbedError) Error() string { return e.msg }
func (e *scrubbedError) Unwrap() error { return e.err }
