package whip

import "errors"

// Errors.
var (
	// ErrBadOffer: the body is no SDP offer we can answer (it does not
	// parse, or it sends neither H.264 video nor Opus audio; the latter
	// also wraps media.ErrUnsupportedCodec).
	ErrBadOffer = errors.New("whip: bad SDP offer")
	// ErrNoSession: End names no live session of that stream.
	ErrNoSession = errors.New("whip: no such session")
	// ErrClosed: the server is closed and takes no more offers.
	ErrClosed = errors.New("whip: server closed")
	// ErrICE: ICE failed, or did not connect in time.
	ErrICE = errors.New("whip: ICE failed")
	// ErrTakenBack ends a session whose stream took the publication back:
	// another publisher took the stream over, or its input was removed.
	ErrTakenBack = errors.New("whip: the stream took the publication back")
	// errEnded is the cause of a session ended by End (DELETE).
	errEnded = errors.New("whip: ended by the publisher")
)
