package listener

import (
	"context"
	"errors"
	"net"

	"streamhive/actors/stream"
)

// This file is the listener actors' local protocol. Send pointers; every
// request gets exactly one reply of the matching *...Reply type.

// Errors.
var (
	// ErrNoStream refuses a publisher whose stream name is not configured.
	ErrNoStream = errors.New("no such stream")
	// ErrStreamDown refuses a publisher whose stream is configured but
	// not running (its supervisor gave up on it).
	ErrStreamDown = errors.New("stream is not running")
	// ErrPublishDenied refuses a publisher that the stream's publish
	// protection (on_publish, password) does not let in.
	ErrPublishDenied = errors.New("publishing is not allowed")
)

// GetAddr asks a listener for the address it listens on.
type GetAddr struct{}

// GetAddrReply answers GetAddr. Err is why the listener could not open its
// port (in use, no permission); the listener then stays idle until it is
// stopped or restarted.
type GetAddrReply struct {
	Addr net.Addr
	Err  error
}

// Dynamic creates the streams that templates admit publishers to: a name
// no stream has, under a template's prefix, whose template takes
// publishers. The listeners ask Admits before the publish policy and Open
// after it, so a refused publisher creates nothing. Safe for concurrent
// use; actors/server implements it over the streams supervisor.
type Dynamic interface {
	// Admits reports whether a publisher to name may create the stream.
	Admits(name string) bool
	// Open starts stream name from its template (or finds it running)
	// and returns its status.
	Open(ctx context.Context, name string) (*stream.Status, error)
}
