// Package sessions keeps viewer sessions: one actor per player under the
// `sessions` supervisor, whatever the protocol, and a lock-free registry
// the gateway reads on every request. It asks auth.Policies whether a new
// session may open, caches the decision for its X-AuthDuration, re-asks
// at expiry, enforces the per-user, per-stream and per-server limits, and
// bans and kicks.
package sessions

import (
	"context"
	"net/netip"

	"streamhive/actors/auth"
)

// Viewer is one playback request (HTTP protocols) or connection, as its
// protocol handler sees it. Token and Query are what the viewer sent.
type Viewer struct {
	Stream    string
	Proto     string // hls, dash, mpegts, rtmp, rtsp, srt, webrtc, mse_ld, ...
	IP        netip.Addr
	Token     string // the value of the auth_token query key ("token")
	Query     string // the raw query string, without '?'
	UserAgent string
	Referer   string
	DVR       bool // an archive URL
	// Conn names the connection of a connection protocol (its peer
	// address): two connections are two sessions even with equal key
	// fields (players behind one IP without tokens), so that one leaving
	// does not end the other's. Empty for HTTP requests.
	Conn string
}

// Admission is the answer to a Viewer.
type Admission struct {
	Verdict  auth.Verdict
	Location string // Redirect: where to send the viewer (302)
	// Ticket is the session, for an allowed viewer: the handler reports
	// the bytes it sends and watches Ended.
	Ticket Ticket
	// ChildQuery is the query string every URI a playlist or manifest
	// lists must carry so that the child requests find this session
	// (the viewer's own query, plus the token the server made up when the
	// viewer brought none); empty when nothing is needed.
	ChildQuery string
}

// Ticket is an admitted session as its protocol handler holds it.
type Ticket interface {
	ID() string
	// Sent adds n bytes to the session's count and marks it active.
	Sent(n int)
	// Ended is closed when the session must stop: kicked, banned, or
	// denied at re-authorization. Connection protocols close their socket.
	Ended() <-chan struct{}
	// Close ends a connection protocol's session when its viewer leaves.
	// HTTP sessions end by inactivity instead.
	Close()
}

// Gate admits viewers. *Table implements it; a nil Gate in a handler's
// options means no sessions (tests of other features).
type Gate interface {
	Admit(ctx context.Context, v Viewer) Admission
}

// Held is the Ticket a protocol handler holds for one request, or none
// (a handler without a Gate): every call on an empty Held does nothing,
// so the serving code reports bytes and watches the end the same way
// with sessions or without.
type Held struct{ Ticket Ticket }

// Sent adds n bytes to the session's count, if there is one.
func (h Held) Sent(n int) {
	if h.Ticket != nil {
		h.Ticket.Sent(n)
	}
}

// Close ends a connection-like session (a continuous response) when its
// viewer leaves.
func (h Held) Close() {
	if h.Ticket != nil {
		h.Ticket.Close()
	}
}

// Ended is closed when the session must stop; nil (never) without one.
func (h Held) Ended() <-chan struct{} {
	if h.Ticket == nil {
		return nil
	}
	return h.Ticket.Ended()
}
