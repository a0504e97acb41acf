package transcoder

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/media"
	"streamhive/media/hub"
	"streamhive/supervision"
)

// DefaultOpusGrace is how long the Opus rendition outlives its last
// viewer: a WebRTC viewer that reconnects (a page reload, an ICE restart
// that renegotiates) finds the encoder running.
const DefaultOpusGrace = 5 * time.Second

// ErrNoAudio is WantOpus's answer for a stream that has tracks and no
// audio among them; ErrNoOpus for audio this server cannot turn into Opus.
var (
	ErrNoAudio = errors.New("transcoder: the stream has no audio")
	ErrNoOpus  = errors.New("transcoder: no Opus rendition of this audio")
)

// OpusConfig configures a stream's Opus rendition (OpusProps).
type OpusConfig struct {
	Stream media.StreamName
	// Hub is the stream's hub: the encoder reads its audio there (as a
	// plain consumer, which never sees derived tracks, its own output
	// included) and writes the Opus track back as a derived track
	// (hub.DerivedWriter), which only SubscribeAll's consumers see.
	Hub *hub.Hub
	// Demand is the count of viewers that want Opus; the actor encodes
	// while it is above zero (and Grace after). NewOpusDemand makes it.
	Demand *OpusDemand
	// Grace is how long the encoder outlives its last viewer. Zero
	// means DefaultOpusGrace.
	Grace time.Duration
	// Supervisor restarts a failed encoder. Nil means DefaultSupervisor().
	Supervisor *supervision.RestartWithBackoff
}

// OpusDemand counts the viewers that want the stream's audio in Opus. The
// stream's playback side hands it to viewers (Want) from any goroutine;
// the stream's Opus actor reads the count whenever it changes between zero
// and one. Safe for concurrent use.
type OpusDemand struct {
	hub *hub.Hub

	mu   sync.Mutex
	n    int                // guarded by mu
	root *actor.RootContext // the actor to tell; nil until it started; guarded by mu
	pid  *actor.PID         // guarded by mu
}

// NewOpusDemand returns the demand for the audio of hub h.
func NewOpusDemand(h *hub.Hub) *OpusDemand { return &OpusDemand{hub: h} }

// Want counts one more viewer of the Opus rendition until release is
// called (release is idempotent). The first viewer starts the encoder;
// the last release stops it after the grace. A stream whose audio is
// Opus already needs none: a no-op release. A stream with tracks but no
// audio returns ErrNoAudio, audio other than AAC ErrNoOpus. A stream with
// no tracks yet (its source is connecting) is counted: the encoder waits
// for the audio.
func (d *OpusDemand) Want() (release func(), err error) {
	switch err := opusNeeded(d.hub.Tracks().List); {
	case errors.Is(err, errAlreadyOpus):
		return func() {}, nil
	case err != nil:
		return nil, err
	}
	d.add(1)
	return sync.OnceFunc(func() { d.add(-1) }), nil
}

// add changes the count and tells the actor when it crosses zero.
func (d *OpusDemand) add(delta int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.n += delta
	if d.pid != nil && (d.n == 0 || d.n == delta) {
		d.root.Send(d.pid, &opusDemandChanged{})
	}
}

// count returns the number of viewers.
func (d *OpusDemand) count() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.n
}

// bind tells the demand which actor serves it.
func (d *OpusDemand) bind(root *actor.RootContext, pid *actor.PID) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.root, d.pid = root, pid
}

// errAlreadyOpus: the source's audio is Opus.
var errAlreadyOpus = errors.New("audio is Opus already")

// opusNeeded checks that tracks' audio (the first audio track, as every
// output takes it) can be given an Opus rendition.
func opusNeeded(tracks []media.Track) error {
	if len(tracks) == 0 {
		return nil
	}
	for _, t := range tracks {
		switch {
		case t.Codec.Kind() != media.KindAudio:
		case t.Codec == media.CodecOpus:
			return errAlreadyOpus
		case t.Codec == media.CodecAAC:
			return nil
		default:
			return fmt.Errorf("%w: %s", ErrNoOpus, t.Codec)
		}
	}
	return ErrNoAudio
}
