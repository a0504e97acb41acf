package rtmp

import "errors"

// Sentinels. Parse errors wrap ErrMalformed (or media.ErrUnsupportedCodec);
// the connection counts and drops such tags instead of failing.
var (
	// ErrMalformed marks a tag or record that does not follow its
	// specification (truncated, inconsistent lengths, bad parameter sets).
	ErrMalformed = errors.New("rtmp: malformed")

	// ErrServerClosed is returned by Server.Serve after Server.Close.
	ErrServerClosed = errors.New("rtmp: server closed")

	// ErrTracksChanged is returned when a publisher sends a sequence header
	// that differs from the one its tracks were published with. Tracks are
	// immutable once published; the caller restarts the input instead.
	ErrTracksChanged = errors.New("rtmp: codec parameters changed mid-stream")

	// ErrNoTracks is returned when a source sent a second of media without
	// any sequence header we can use.
	ErrNoTracks = errors.New("rtmp: no usable tracks")

	// ErrBadURL is returned by Puller.Pull for a URL it cannot use.
	ErrBadURL = errors.New("rtmp: bad url")

	// ErrRejected is returned by Puller.Pull when the server refuses the
	// connect or play command.
	ErrRejected = errors.New("rtmp: rejected by server")
)
