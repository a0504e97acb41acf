package stream

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/media"
	"streamhive/media/hub"
)

// defaultStep is the frame duration assumed before one is measured (25 fps).
const defaultStep = 40 * time.Millisecond

// feed is one stream's switchboard between its inputs' sinks and its hub.
// Every input run writes to its own inputSink; at most one of them (the
// live one) reaches the hub. The actor decides which sink may take over
// (arm) and when the live one loses the hub (cut); the takeover itself
// happens on the input's goroutine at its first keyframe, so a switch
// costs no round trip through the mailbox: the armed sink creates the new
// hub writer (which revokes the old one), rebases its timestamps so the
// output timeline continues, and sends the actor one keyframeSeen.
//
// mu guards every sink's state and the timeline: writes of all inputs
// serialise on it, which is what makes a switch atomic (the old input's
// next frame finds itself cut).
type feed struct {
	mu   sync.Mutex
	hub  *hub.Hub
	live *inputSink  // the sink writing to the hub; nil when none
	w    *hub.Writer // live's writer

	// The output timeline: the lead (keyframe) track's last DTS written
	// to the hub and its frame duration, and each track's last DTS. A
	// new input continues the lead track's timeline (audio, which muxers
	// often send well ahead of video, would otherwise leave a hole in
	// the picture), and its frames of other tracks that would go back in
	// time are dropped.
	haveOut bool
	lastOut time.Duration
	step    time.Duration
	lastDTS map[int]time.Duration

	// Where keyframeSeen goes.
	root *actor.RootContext
	self *actor.PID
}

// inputSink is the sink one run of one input writes to. It counts every
// frame (the failover policy's EventFrames comes from the count) and drops
// those that may not reach the hub.
type inputSink struct {
	f      *feed
	idx    int
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

// keyframeSeen is sent once per arming by a sink that took the hub over
// at its keyframe.
type keyframeSeen struct {
	sink *inputSink
	arm  uint64
}

// IgnoreDeadLetterLogging: a keyframe may arrive while the stream stops.
func (*keyframeSeen) IgnoreDeadLetterLogging() {}

var (
	_ media.Sink      = (*inputSink)(nil)
	_ media.Revocable = (*inputSink)(nil)
)

// Revoked implements media.Revocable: it is closed when the stream stops
// taking s's frames (a later run of its input, another publisher, the
// input removed).
func (s *inputSink) Revoked() <-chan struct{} { return s.revoked }

// WriteFrame implements media.Sink.
func (s *inputSink) WriteFrame(fr *media.Frame) {
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

// takeOver makes s the live sink at keyframe fr: a new hub writer under
// s's tracks (revoking the previous one) and an offset that continues the
// output timeline one frame after its last DTS. Called with f.mu held.
func (f *feed) takeOver(s *inputSink, fr *media.Frame) {
	arm := s.armed
	s.armed = 0
	f.w = f.hub.NewWriter()
	f.hub.SetTracks(s.tracks)
	f.live = s
	s.offset, s.last = 0, fr.DTS
	if f.haveOut {
		s.offset = f.lastOut + f.step - fr.DTS
	}
	f.root.Send(f.self, &keyframeSeen{sink: s, arm: arm})
}

// write passes fr from the live sink s to the hub, rebased. Called with
// f.mu held.
func (f *feed) write(s *inputSink, fr *media.Frame) {
	if fr.Track == s.lead {
		if d := fr.DTS - s.last; d > 0 && d < time.Second {
			f.step = d
		}
		s.last = fr.DTS
	}
	out := fr
	if s.offset != 0 {
		c := *fr
		c.DTS += s.offset
		c.PTS += s.offset
		out = &c
	}
	if last, ok := f.lastDTS[fr.Track]; ok && fr.Track != s.lead && out.DTS <= last {
		return // before the switch on this track's timeline
	}
	if f.lastDTS == nil {
		f.lastDTS = map[int]time.Duration{}
	}
	f.lastDTS[fr.Track] = out.DTS
	if fr.Track == s.lead {
		f.haveOut, f.lastOut = true, out.DTS
	}
	f.w.WriteFrame(out)
}

// newSink returns the sink of a new run of input idx.
func (f *feed) newSink(idx int, tracks []media.Track) *inputSink {
	return &inputSink{f: f, idx: idx, tracks: tracks, lead: leadTrack(tracks), revoked: make(chan struct{})}
}

// leadTrack is the track whose keyframes may open a grant and whose
// timeline a switch continues: the first video track, else track 0, as
// the segmenter picks it. Audio frames all count as keyframes, and audio
// usually runs ahead of video in a muxed source: a takeover at an audio
// frame would continue the audio timeline and leave a hole in the picture.
func leadTrack(tracks []media.Track) int {
	for i, t := range tracks {
		if t.Codec.Kind() == media.KindVideo {
			return i
		}
	}
	return 0
}

// arm lets s take the hub over at its next keyframe, reporting arm; 0
// disarms it.
func (f *feed) arm(s *inputSink, arm uint64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s.armed = arm
}

// cut leaves the hub without a writer if s is live; s stays open and may
// be armed again.
func (f *feed) cut(s *inputSink) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.live == s {
		f.w.Revoke()
		f.live, f.w = nil, nil
	}
}

// close drops everything s is written from now on and tells its writer
// (Revoked).
func (f *feed) close(s *inputSink) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !s.closed {
		close(s.revoked)
	}
	s.closed, s.armed = true, 0
	if f.live == s {
		f.w.Revoke()
		f.live, f.w = nil, nil
	}
}

// isLive reports whether s feeds the hub.
func (f *feed) isLive(s *inputSink) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.live == s
}

// init sets the step before the first measurement.
func newFeed(h *hub.Hub, root *actor.RootContext, self *actor.PID) *feed {
	return &feed{hub: h, step: defaultStep, root: root, self: self}
}
