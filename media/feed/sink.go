package feed

import (
	"sync/atomic"
	"time"

	"streamhive/media"
)

// Sink is what one run of one input writes to. It counts every frame (the
// owner's failover policy reads Frames) and drops those that may not reach
// the hub. WriteFrame is called from the input's goroutine; the other
// methods are safe for concurrent use.
type Sink struct {
	f      *Feed
	index  int
	tracks []media.Track
	frames atomic.Uint64 // every frame written, fed or dropped
	// revoked is closed with closed: a publisher's connection ends then
	// (see media.Revocable).
	revoked chan struct{}

	// Guarded by f.mu.
	armed  uint64 // nonzero: take over at the next keyframe, reporting this arm number
	closed bool   // a later run or a stopped input: drop everything
	offset time.Duration
	lead   int           // the track whose keyframes open a grant: the first video track, else track 0
	last   time.Duration // lead's last input DTS, for the frame duration
}

var (
	_ media.Sink      = (*Sink)(nil)
	_ media.Revocable = (*Sink)(nil)
)

// Index returns the tag NewSink was given.
func (s *Sink) Index() int { return s.index }

// Tracks returns the tracks the sink was created under. The caller must
// not modify them.
func (s *Sink) Tracks() []media.Track { return s.tracks }

// Frames returns how many frames were written to s, fed to the hub or
// dropped.
func (s *Sink) Frames() uint64 { return s.frames.Load() }

// Revoked implements media.Revocable: it is closed when the Feed stops
// taking s's frames (Feed.Close: a later run of its input, another
// publisher, the input removed).
func (s *Sink) Revoked() <-chan struct{} { return s.revoked }

// WriteFrame implements media.Sink.
func (s *Sink) WriteFrame(fr *media.Frame) {
	s.frames.Add(1)
	f := s.f
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case s.closed:
		return
	case f.live != s && s.armed != 0 && fr.Keyframe && fr.Track == s.lead:
		f.takeOver(s, fr)
	case f.live != s:
		return
	}
	f.write(s, fr)
}
