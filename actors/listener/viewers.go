package listener

import (
	"context"
	"errors"

	"streamhive/actors/sessions"
	"streamhive/media/hub"
)

// ErrProtocolOff refuses a viewer whose stream's `protocols` directive
// turns its output off (`protocols -rtmp;`).
var ErrProtocolOff = errors.New("the stream does not serve this protocol")

// Viewers is what the listeners need to serve play connections (RTMP,
// RTSP and SRT play): the viewer sessions' gate, which every viewer goes
// through before it gets a frame (auth, limits, accounting, kicks), and
// the stream's frames. actors/server implements it; a nil Viewers in
// Config means the listeners take publishers only.
type Viewers interface {
	sessions.Gate
	// Subscribe returns a new consumer of stream name's hub, starting at
	// its latest keyframe, for a viewer over output proto ("rtmp",
	// "rtsp", "srt": the `protocols` directive's names). It wakes an
	// on-demand stream and waits for it, bounded by ctx. Errors wrap
	// ErrNoStream (no stream has the name), ErrStreamDown (configured,
	// not running) or ErrProtocolOff. The caller closes the consumer.
	Subscribe(ctx context.Context, name, proto string) (*hub.Consumer, error)
}
