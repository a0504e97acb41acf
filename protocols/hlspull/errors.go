package hlspull

import "errors"

// Errors Pull returns besides mpegts's and the transport's.
var (
	// ErrBadURL: a URL of another scheme, or one net/http refuses.
	ErrBadURL = errors.New("hlspull: bad url")
	// ErrBadOptions: an option that does not parse (variant).
	ErrBadOptions = errors.New("hlspull: bad options")
	// ErrUnsupported: an encrypted playlist, byte ranges, a master
	// playlist pointing at another master playlist.
	ErrUnsupported = errors.New("hlspull: unsupported playlist")
	// ErrPlaylist: the playlist is not an M3U8 playlist or is malformed.
	ErrPlaylist = errors.New("hlspull: bad playlist")
	// ErrStatus: the server answered with a status other than 200.
	ErrStatus = errors.New("hlspull: unexpected HTTP status")
	// ErrStalled: the live playlist stopped moving for three target
	// durations.
	ErrStalled = errors.New("hlspull: playlist stopped updating")
	// ErrEnded: the playlist ended (EXT-X-ENDLIST) and every segment was
	// played.
	ErrEnded = errors.New("hlspull: playlist ended")
	// ErrFormatChanged: the segments switched between MPEG-TS and fMP4,
	// or the fMP4 tracks changed.
	ErrFormatChanged = errors.New("hlspull: segment format or tracks changed")
	// ErrNoTracks: the fMP4 init section has no H.264, H.265, AAC or Opus
	// track.
	ErrNoTracks = errors.New("hlspull: no usable track")
)
