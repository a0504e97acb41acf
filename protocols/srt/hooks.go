package srt

import (
	"context"
	"net"

	"streamhive/media"
)

// Hooks is how an SRT publisher reaches the rest of the server; the
// listener actor implements it. Calls run on the connection's goroutine and
// may block briefly (they usually ask an actor).
type Hooks interface {
	// Admit decides during the handshake whether a publisher may publish
	// to name (the streamid's r=, or the whole plain streamid; empty when
	// the caller sent none). An error refuses the caller with the
	// rejection reason it carries (see Reject; ReasonForbidden for a plain
	// error), and the server logs it. ctx carries PublishInfoFrom (Peer,
	// StreamID with its password=; no Stats yet) and ends before the
	// caller's connect timeout.
	Admit(ctx context.Context, name media.StreamName, peer net.Addr) error
	// Publish registers the publisher of name once its tracks are known
	// and returns where to write its frames and a func that ends the
	// publication, which the server calls exactly once when the
	// connection ends. An error refuses the publisher: the server logs it
	// and closes the connection. ctx is done when the connection ends;
	// PublishInfoFrom(ctx) describes the publisher and
	// media.InputStatsFrom(ctx) returns its live counters.
	Publish(ctx context.Context, name media.StreamName, tracks []media.Track) (media.Sink, func(), error)
}

// PublishInfo describes the connection behind a Hooks.Publish call.
type PublishInfo struct {
	Peer     net.Addr
	StreamID string            // as the caller sent it
	Stats    *media.InputStats // live counters of this connection
}

type publishInfoKey struct{}

// PublishInfoFrom returns the publisher description the server put in the
// context of a Hooks.Publish call.
func PublishInfoFrom(ctx context.Context) (PublishInfo, bool) {
	pi, ok := ctx.Value(publishInfoKey{}).(PublishInfo)
	return pi, ok
}
