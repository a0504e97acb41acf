package whep

import "errors"

// Errors.
var (
	// ErrBadOffer: the body is no SDP offer we can answer (it does not
	// parse, or it receives neither H.264 video nor Opus audio we have;
	// the latter also wraps media.ErrUnsupportedCodec).
	ErrBadOffer = errors.New("whep: bad SDP offer")
	// ErrBadFragment: a PATCH body that is no trickle-ICE fragment we can
	// apply.
	ErrBadFragment = errors.New("whep: bad ICE fragment")
	// ErrNoSession: no live session of that stream has the ID.
	ErrNoSession = errors.New("whep: no such session")
	// ErrClosed: the server is closed and takes no more offers.
	ErrClosed = errors.New("whep: server closed")
	// ErrICE: ICE failed, or did not connect in time.
	ErrICE = errors.New("whep: ICE failed")
	// ErrStreamEnded: the stream's hub closed under the session.
	ErrStreamEnded = errors.New("whep: the stream ended")
	// errEnded is the cause of a session ended by End (DELETE).
	errEnded = errors.New("whep: ended by the viewer")
	// errKicked is the cause of a session whose Viewer.Ended closed.
	errKicked = errors.New("whep: the viewer's session ended")
)
