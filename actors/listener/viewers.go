package listener

import (
	"context"
	"errors"

	"streamhive/actors/sessions"
	"streamhive/media/hub"
	"streamhive/media/segment"
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
	// Parts returns stream name's shared MPEG-TS parts for a viewer over
	// proto, with Subscribe's wake, waiting and errors: the outputs that
	// send MPEG-TS (SRT play) follow them instead of muxing per viewer.
	Parts(ctx context.Context, name, proto string) (TSParts, error)
}

// TSParts is one stream's MPEG-TS as its segmenter makes it once for
// every viewer: the window's parts (Part.TS) form one multiplex of every
// track, continuity counters running on across parts and segments, with
// PAT and PMT before every keyframe, so a viewer's bytes are the parts
// concatenated from an independent one on. *stream.Playback implements it.
type TSParts interface {
	// Window returns the segmenter's latest window.
	Window() *segment.Window
	// Wait blocks until the window holds part `part` of segment msn
	// (segment.Segmenter.Wait: ErrClosed when the stream's segmenter ends,
	// ErrTooFarAhead for a position past the window).
	Wait(ctx context.Context, msn uint64, part int) error
}
