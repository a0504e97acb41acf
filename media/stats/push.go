package stats

import "time"

// Push is one push target of a stream.
type Push struct {
	ID     string
	Opened time.Time // when the target started
	State  string    // starting, running, retry or error (actors/push's states)
	Bytes  int64     // sent by all its sessions
	// Errors counts failed sessions; Reconnects the sessions started
	// after a failure; Retries the failures since a session last sent
	// media.
	Errors, Reconnects, Retries int64
	LastError                   string // of the last failed session
}
