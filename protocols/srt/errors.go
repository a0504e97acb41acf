package srt

import (
	"errors"
	"fmt"
)

// Errors.
var (
	// ErrServerClosed is returned by Serve after Close.
	ErrServerClosed = errors.New("srt: server closed")
	// ErrBadURL: an input URL that is not srt://HOST:PORT.
	ErrBadURL = errors.New("srt: bad url")
	// ErrBadOptions: an input option (latency, passphrase, mode) that
	// cannot be used.
	ErrBadOptions = errors.New("srt: bad options")
	// ErrNotPublish: a caller asked to play (m=request) from a port that
	// serves no viewers.
	ErrNotPublish = errors.New("srt: only publishing is accepted here")
	// ErrNotPlay: a caller asked to publish to a play-only port, or sent
	// a mode that is neither publish nor request.
	ErrNotPlay = errors.New("srt: only playing is accepted here")
	// ErrPassphrase: the caller's passphrase does not decrypt its key
	// material.
	ErrPassphrase = errors.New("srt: wrong passphrase")
	// ErrEncryption: one side encrypts and the other does not.
	ErrEncryption = errors.New("srt: encryption mismatch")
)

// Reason is an SRT handshake rejection reason (the SRT RFC draft's table 7,
// and the access-control codes 1400 and up that libsrt defines). A
// refused caller sees it: ffmpeg prints its name.
type Reason uint32

// The rejection reasons this package sends.
const (
	ReasonBadSecret  Reason = 1010 // REJ_BADSECRET: wrong passphrase
	ReasonUnsecure   Reason = 1011 // REJ_UNSECURE: passphrase required or unexpected
	ReasonBadRequest Reason = 1400 // REJX_BAD_REQUEST: malformed streamid
	ReasonForbidden  Reason = 1403 // REJX_FORBIDDEN: access denied
	ReasonNotFound   Reason = 1404 // REJX_NOTFOUND: no such stream
	ReasonBadMode    Reason = 1405 // REJX_BAD_MODE: m= is not what the port serves
	ReasonConflict   Reason = 1407 // REJX_CONFLICT: the stream takes no publisher now
	ReasonDown       Reason = 1503 // REJX_DOWN: the stream is not running
)

func (r Reason) String() string {
	switch r {
	case ReasonBadSecret:
		return "REJ_BADSECRET"
	case ReasonUnsecure:
		return "REJ_UNSECURE"
	case ReasonBadRequest:
		return "REJX_BAD_REQUEST"
	case ReasonForbidden:
		return "REJX_FORBIDDEN"
	case ReasonNotFound:
		return "REJX_NOTFOUND"
	case ReasonBadMode:
		return "REJX_BAD_MODE"
	case ReasonConflict:
		return "REJX_CONFLICT"
	case ReasonDown:
		return "REJX_DOWN"
	default:
		return fmt.Sprintf("reason %d", uint32(r))
	}
}

// RejectError refuses a caller with an SRT rejection reason. Hooks return
// it (see Reject); a plain error refuses with ReasonForbidden.
type RejectError struct {
	Reason Reason
	Err    error
}

// Reject returns err as a refusal with reason.
func Reject(reason Reason, err error) error { return &RejectError{Reason: reason, Err: err} }

func (e *RejectError) Error() string { return fmt.Sprintf("%v (%s)", e.Err, e.Reason) }

func (e *RejectError) Unwrap() error { return e.Err }

// reasonOf is the rejection reason err carries, ReasonForbidden by default.
func reasonOf(err error) Reason {
	var re *RejectError
	if errors.As(err, &re) {
		return re.Reason
	}
	return ReasonForbidden
}
