package rtsp

import "errors"

// Sentinels. Depacketizing errors are counted and dropped; only conditions
// that no later packet can fix end a pull or a publication.
var (
	// ErrBadURL is returned by Puller.Pull for a URL it cannot use.
	ErrBadURL = errors.New("rtsp: bad url")

	// ErrBadOption is returned by Puller.Pull for an input option it
	// cannot honour (rtp=, rtsp_tcp=).
	ErrBadOption = errors.New("rtsp: bad option")

	// ErrNoTracks is returned when a source's video never brought the
	// parameter sets needed to publish it and nothing else is left.
	ErrNoTracks = errors.New("rtsp: no usable tracks")

	// ErrTracksChanged is returned when a source sends parameter sets that
	// differ from the ones its tracks were published with. Tracks are
	// immutable once published; the input restarts instead.
	ErrTracksChanged = errors.New("rtsp: codec parameters changed mid-stream")

	// ErrUnauthorized, wrapped in an Admitter's refusal, asks the
	// publisher for credentials (401 with a Basic challenge) instead of
	// refusing it outright.
	ErrUnauthorized = errors.New("rtsp: credentials required")

	// ErrServerClosed is returned by Server.Serve after Server.Close.
	ErrServerClosed = errors.New("rtsp: server closed")
)
