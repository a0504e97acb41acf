package rtmp

import (
	"context"
	"net"

	"streamhive/media"
)

// Hooks is how an RTMP connection reaches the rest of the server; the
// listener actor implements it. Calls run on the connection's goroutine and
// may block briefly (they usually ask an actor).
type Hooks interface {
	// Publish registers a publisher for name once its tracks are known and
	// returns where to write its frames and a func that ends the
	// publication, which the server calls exactly once when the connection
	// closes. An error refuses the publisher: the server logs it with the
	// stream name and closes the connection. ctx is done when the
	// connection closes; PublishInfoFrom(ctx) describes the publisher and
	// media.InputStatsFrom(ctx) returns its live counters.
	Publish(ctx context.Context, name media.StreamName, tracks []media.Track) (media.Sink, func(), error)
}

// Admitter is implemented by Hooks that decide, when the publish command
// arrives and before any media, whether the publisher may publish (its
// credentials: the query string of the app or the key). An error answers
// the command with NetStream.Publish.Failed and closes the connection;
// Publish then never runs. ctx carries PublishInfoFrom like Publish's and
// ends with the connection.
type Admitter interface {
	Admit(ctx context.Context, name media.StreamName) error
}

// PublishInfo describes the connection behind a Hooks.Publish call (or a
// Player.Play call: Key is then the play command's name).
type PublishInfo struct {
	Peer     net.Addr
	App      string            // the connect command's app ("live")
	Key      string            // the publish command's name, query string included
	FlashVer string            // the connect command's flashVer: the client's user agent
	Stats    *media.InputStats // live counters of this connection
}

type publishInfoKey struct{}

// PublishInfoFrom returns the publisher description the server put in the
// context of a Hooks.Publish call.
func PublishInfoFrom(ctx context.Context) (PublishInfo, bool) {
	pi, ok := ctx.Value(publishInfoKey{}).(PublishInfo)
	return pi, ok
}
