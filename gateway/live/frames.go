package live

import (
	"context"

	"streamhive/media/hub"
)

// Frames is a Stream whose frames a connection output reads as they come
// (WHEP, MSE-LD): a local stream implements it. A Stream that does not
// (one on another node, until the cluster carries frames) has no such
// outputs, and the handlers answer them 404.
type Frames interface {
	// Frames returns a new consumer of the stream's hub, starting at its
	// latest keyframe; the caller closes it. It waits, bounded by ctx, for
	// a stream that is starting (an on-demand stream its first viewer
	// woke). A consumer of a stream that stops reads hub.ErrClosed.
	Frames(ctx context.Context) (*hub.Consumer, error)
}

// OpusAudio is a Stream that can give its audio an Opus rendition while
// someone needs it: WebRTC carries Opus, and most sources send AAC.
type OpusAudio interface {
	// WantOpus asks for an Opus track in the stream's hub, beside the
	// source's audio, until release is called; callers share one encoder,
	// which stops when the last one releases. A stream whose audio is Opus
	// already needs none and returns a no-op release. Err: the stream has
	// no audio, or nothing can encode Opus here.
	//
	// The Opus track is a derived track of the hub (media/hub's
	// DerivedWriter): it is in the track lists of Frames' consumers, with an
	// ID from hub.DerivedTrackBase up, once the encoder has decoded the
	// first AAC (tens of milliseconds after WantOpus on a live stream), and
	// leaves them a grace after the last release. HLS, DASH, the DVR and the
	// other outputs never see it, so its coming and going disturbs none.
	// A stream with no tracks yet (its source connecting) counts the want.
	WantOpus() (release func(), err error)
}

// SourceFrames is a stream running on this node whose frames another node
// of the cluster pulls (the m4f handler, gateway/peer): a local stream
// implements it.
type SourceFrames interface {
	// SourceFrames returns a new consumer of the stream's hub as
	// hub.Hub.Subscribe makes it: the source's tracks only, so the derived
	// ones (the Opus rendition) stay on this node and the puller's own
	// viewers ask for their own. It starts at the latest keyframe, and
	// waits, bounded by ctx, for a stream that is starting. The caller
	// closes it.
	SourceFrames(ctx context.Context) (*hub.Consumer, error)
}
