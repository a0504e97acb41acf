package configowner

import (
	"errors"

	"streamhive/actors/config"
)

// This file is the config owner's local protocol. Send pointers; every
// request gets exactly one reply of the matching *...Reply type.

// ErrNoFile answers Reload when the server runs the embedded default
// configuration: there is no file to read.
var ErrNoFile = errors.New("configowner: no config file (running the embedded default)")

// Apply applies one change (an API write). The change is applied to a
// clone of the current configuration and validated there, persisted to the
// config file when there is one, and only then published and handed to the
// streams supervisor as a diff. On any error nothing changes. A config file
// edited by hand since the server last loaded or wrote it (a reload refused
// it, or none came yet) is first copied to FILE.rejected-TIMESTAMP beside
// it, and the owner logs both names; if it cannot be copied, the write is
// refused and the file left alone.
type Apply struct {
	Change config.Change
}

// ApplyReply answers Apply once the streams supervisor has applied the
// diff. Err wraps config.ErrInvalid or config.ErrNotFound when the change
// was rejected; any other error means the file could not be written
// (nothing changed) or, after the change took effect, the streams could
// not follow it.
type ApplyReply struct {
	Err error
}

// Reload re-reads the config file (SIGHUP). A file that does not parse or
// validate changes nothing: its errors are logged and returned.
type Reload struct{}

// ReloadReply answers Reload once the streams supervisor has applied the
// diff. Diff is what the reload changed about streams.
type ReloadReply struct {
	Diff config.StreamDiff
	Err  error
}
