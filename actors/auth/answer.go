package auth

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// DefaultAuthDuration is how long a backend's decision holds when its
// answer carries no X-AuthDuration. Flussonic's documentation gives no
// default; 30 seconds is the default of Flussonic's historical open
// source HTTP backend client (auth_http_backend, x-authduration 30).
const DefaultAuthDuration = 30 * time.Second

// Bounds on what a backend's answer may carry.
const (
	// MaxAuthDuration caps X-AuthDuration: a decision (or a ban) longer
	// than a day is held for a day and asked again.
	MaxAuthDuration = 24 * time.Hour
	// maxUserID bounds X-UserId: it keys the per-user session limits and
	// shows in the sessions API.
	maxUserID = 256
	// maxLocation bounds a 302's Location.
	maxLocation = 4096
)

// ReasonNoAnswer is the Reason of a decision taken because no backend
// answered (refused, timed out, any status but 200, 302, 403, or an
// answer that does not parse): the documented default.
const ReasonNoAnswer = "no backend answered"

// parseAnswer turns a backend's status and headers into a Decision, after
// auth-backend.yaml: 200 allows (X-AuthDuration, X-UserId,
// X-Max-Sessions, X-Unique), 302 redirects to Location, 403 denies (for
// X-AuthDuration, the ban). Anything else, and an answer whose headers do
// not parse, is no answer (ok false): fail closed rather than guess what
// a broken backend meant.
func parseAnswer(status int, h http.Header) (d Decision, ok bool) {
	dur, ok := parseAuthDuration(h.Get("X-AuthDuration"))
	if !ok {
		return Decision{}, false
	}
	d.Duration = dur
	switch status {
	case http.StatusOK:
		d.Verdict, d.Reason = Allow, "backend 200"
		return parseGrant(h, d)
	case http.StatusFound:
		loc := h.Get("Location")
		if loc == "" || len(loc) > maxLocation || strings.ContainsAny(loc, "\r\n") {
			return Decision{}, false
		}
		d.Verdict, d.Location, d.Reason = Redirect, loc, "backend 302"
		return d, true
	case http.StatusForbidden:
		d.Verdict, d.Reason = Deny, "backend 403"
		return d, true
	}
	return Decision{}, false
}

// parseGrant reads the per-user headers of a 200.
func parseGrant(h http.Header, d Decision) (Decision, bool) {
	d.UserID = strings.TrimSpace(h.Get("X-UserId"))
	if len(d.UserID) > maxUserID {
		return Decision{}, false
	}
	if v := h.Get("X-Max-Sessions"); v != "" {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || n < 0 {
			return Decision{}, false
		}
		d.MaxSessions = n
	}
	// X-Unique (deprecated) is X-Max-Sessions: 1; with both, the lower.
	switch strings.ToLower(strings.TrimSpace(h.Get("X-Unique"))) {
	case "", "false", "0":
	case "true", "1":
		if d.MaxSessions == 0 || d.MaxSessions > 1 {
			d.MaxSessions = 1
		}
	default:
		return Decision{}, false
	}
	return d, true
}

// parseAuthDuration reads X-AuthDuration (whole seconds). Absent: the
// default. Zero, negative or not a number: not parsed. Above
// MaxAuthDuration: capped.
func parseAuthDuration(v string) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return DefaultAuthDuration, true
	}
	if strings.TrimLeft(v, "0123456789") == "" && len(v) > 12 {
		return MaxAuthDuration, true // all digits, just huge
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n <= 0 {
		return 0, false
	}
	// Compare in seconds: n seconds as a time.Duration overflows int64
	// long before n does.
	if n >= int64(MaxAuthDuration/time.Second) {
		return MaxAuthDuration, true
	}
	return time.Duration(n) * time.Second, true
}
