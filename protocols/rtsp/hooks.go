package rtsp

import (
	"context"
	"net"

	"streamhive/media"
)

// Hooks is how the RTSP server reaches the rest of the server; the
// listener actor implements it. Calls run on a session's goroutines and may
// block briefly (they usually ask an actor).
type Hooks interface {
	// Publish registers a publisher for name once its tracks are known
	// and returns where to write its frames and a func that ends the
	// publication, which the server calls exactly once when the session
	// closes. An error refuses the publisher: the server logs it with the
	// stream name and answers 403 (or closes the session, when the tracks
	// only became known from the media). ctx is done when the session
	// closes; PublishInfoFrom(ctx) describes the publisher and
	// media.InputStatsFrom(ctx) returns its live counters.
	Publish(ctx context.Context, name media.StreamName, tracks []media.Track) (media.Sink, func(), error)
}

// Admitter is implemented by Hooks that decide at ANNOUNCE, before the
// SDP is looked at and before any media, whether a publisher may publish
// (the stream's publish protection); PublishInfoFrom(ctx) describes the
// publisher with the credentials it presented. A refusal that wraps
// ErrUnauthorized is answered 401 with a Basic challenge when the
// publisher sent no credentials (an encoder with rtsp://user:pass@ in its
// URL then sends them; ffmpeg does), and the connection is closed when it
// sent some; any other refusal is answered 403. The server logs refusals
// with the stream name, never the credentials.
type Admitter interface {
	Admit(ctx context.Context, name media.StreamName) error
}

// PublishInfo describes the session behind a Hooks.Publish call, or the
// reader behind a Player.Play call.
type PublishInfo struct {
	Peer  net.Addr
	Path  string            // the ANNOUNCE URL's path, without the leading slash
	Query string            // its query string
	Stats *media.InputStats // live counters of this session
	// User and Password are the ANNOUNCE's Authorization: Basic
	// credentials; empty when it carried none. Digest is not offered: a
	// digest cannot be checked against a password the server holds only
	// hashed, nor by an auth backend.
	User, Password string
	// UserAgent is a reader's User-Agent header (Player.Play).
	UserAgent string
}

type publishInfoKey struct{}

// PublishInfoFrom returns the publisher description the server put in the
// context of a Hooks.Publish call.
func PublishInfoFrom(ctx context.Context) (PublishInfo, bool) {
	pi, ok := ctx.Value(publishInfoKey{}).(PublishInfo)
	return pi, ok
}
