// Package auth decides whether a viewer may play, or a publisher publish,
// a stream: Flussonic's authorization backends (an HTTP backend speaking
// shared/flussonic-openapi/auth-backend.yaml, `auth_backend NAME { ... }`
// rule sets asking several backends in parallel, `securetoken://SECRET`
// secure links), the referer check (`domains`) and country lists (GeoIP).
//
// It holds no actors and no sessions: a Checker turns a Request into a
// Decision. actors/sessions keeps sessions, their cached decisions and
// their limits; the gateway and the publish listeners ask a Book for the
// Checker of a stream.
package auth

import (
	"context"
	"net/netip"
	"time"
)

// RequestType is the backend protocol's request_type.
type RequestType string

// The request types: the first ask of a session, and a re-ask.
const (
	NewSession    RequestType = "new_session"
	UpdateSession RequestType = "update_session"
)

// Request is what a backend is asked: the query fields of
// auth-backend.yaml's /auth-request-v1, in Go units.
type Request struct {
	Name          string // stream (or VOD file) name
	Proto         string // hls, dash, mpegts, rtmp, rtsp, srt, webrtc, ...; "publish" protocols too
	IP            netip.Addr
	Type          RequestType
	Number        int           // request_number: 0 for the first ask of a session
	SessionID     string        // stable for the session's life
	StreamClients int           // sessions open on this stream now
	TotalClients  int           // sessions open on this server now
	Token         string        // the viewer's token (query key `token`, or auth_token's key)
	Duration      time.Duration // update requests: how long the session has been open
	Bytes         int64         // update requests: bytes sent so far
	QS            string        // the request's query string as the viewer sent it
	DVR           bool          // an archive (DVR) session
	UserAgent     string
	Referer       string
	// Publish is set for a publisher: on_publish and password apply, not
	// on_play. Password is what the publisher presented (the `password`
	// query key, or the protocol's own credential).
	Publish  bool
	Password string
}

// Verdict is what a Checker decided.
type Verdict uint8

// The verdicts.
const (
	Deny     Verdict = iota // 403; connection protocols close the socket
	Allow                   // play (or publish)
	Redirect                // 302 to Decision.Location (HTTP protocols only)
)

// Decision is a Checker's answer.
type Decision struct {
	Verdict  Verdict
	Location string // Redirect: where the viewer goes
	// Duration is how long the decision holds (X-AuthDuration): the
	// session is not asked again before it ends, and a banned session
	// stays banned for it. Zero means the checker's default.
	Duration    time.Duration
	UserID      string // X-UserId: the key of per-user session limits
	MaxSessions int    // X-Max-Sessions (X-Unique: 1); 0 = no per-user limit
	// Reason says why, for the log, the sessions API and metrics labels:
	// short and free of secrets ("backend 403", "token denied", "no
	// backend answered").
	Reason string
}

// Allowed reports whether the decision lets the viewer in.
func (d Decision) Allowed() bool { return d.Verdict == Allow }

// Checker decides one request. Implementations are safe for concurrent
// use and return by ctx's deadline at the latest (with the configured
// default for a backend that did not answer).
type Checker interface {
	Check(ctx context.Context, r Request) Decision
}

// Limits are the session limits of a stream's on_play (auth_spec), which
// actors/sessions enforces; the per-user limit comes in each Decision.
type Limits struct {
	MaxSessions    int      // per stream; 0: none
	SoftLimitation bool     // over-limit sessions end after a grace period, not at once
	SessionKeys    []string // what identifies a session: name ip proto token, or query keys
}

// Policy is the protection of one stream in one direction (play or
// publish): the checks to run and the limits to keep.
type Policy interface {
	Checker
	Limits() Limits
}

// Policies finds a stream's policies under the running configuration
// (the stream's own on_play / on_publish, else its template's, else the
// server's). A nil Policy means the stream is not protected in that
// direction. Implementations are safe for concurrent use and cheap:
// the gateway asks on every new session.
type Policies interface {
	Play(stream string) Policy
	Publish(stream string) Policy
}

// DefaultTokenKey is the query key that carries a viewer's or publisher's
// token when `auth_token` names no other.
const DefaultTokenKey = "token"

// TokenKeyer is implemented by Policies that know the configuration's
// token key (`auth_token`): the query key whose value is Request.Token.
type TokenKeyer interface {
	TokenKey() string
}

// TokenKeyOf is the token key under p: its TokenKeyer answer when it has
// one, else DefaultTokenKey.
func TokenKeyOf(p Policies) string {
	if k, ok := p.(TokenKeyer); ok {
		if key := k.TokenKey(); key != "" {
			return key
		}
	}
	return DefaultTokenKey
}
