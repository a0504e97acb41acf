package whip

import (
	"context"
	"net"

	"streamhive/media"
)

// Hooks connect sessions to streams. Methods are called from any goroutine
// and may block for as long as their ctx allows.
type Hooks interface {
	// Admit refuses an offer for stream name before any WebRTC work is
	// done (no such stream, not running, no publish:// input, publishing
	// not allowed); its error is returned by Offer as it is. ctx is
	// Offer's: it carries whatever the caller put there (the publisher's
	// credentials) and bounds the decision.
	Admit(ctx context.Context, name media.StreamName, peer net.Addr) error
	// Publish hands the session's tracks to stream name once they are
	// known and returns where to write frames and the func that ends the
	// publication (called once, when the session ends). ctx carries the
	// session's media.InputStats (media.InputStatsFrom). An error ends the
	// session.
	Publish(ctx context.Context, name media.StreamName, tracks []media.Track, peer net.Addr) (media.Sink, func(), error)
}
