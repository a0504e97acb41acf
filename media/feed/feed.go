// Package feed switches a stream's hub between the sinks its inputs write
// to. Every run of every input writes to its own Sink; at most one of them
// (the live one) reaches the hub, through a hub.Writer the Feed creates
// when the sink takes over and revokes when it loses the hub.
//
// The owner (the stream actor) decides which sink may take over (Arm) and
// when the live one loses the hub (Cut, Close); the takeover itself happens
// on the input's goroutine at its first keyframe, so a switch costs no
// round trip through the owner: the armed sink creates the new hub writer
// (which revokes the old one), rebases its timestamps so the output
// timeline continues, and reports the takeover once (New's onTakeOver).
//
// The package imports no actor: the report is a plain callback.
package feed

import (
	"sync"
	"time"

	"streamhive/media"
	"streamhive/media/hub"
)

// defaultStep is the frame duration assumed before one is measured (25 fps).
const defaultStep = 40 * time.Millisecond

// Feed is one stream's switchboard between its inputs' sinks and its hub.
// Its methods are safe for concurrent use.
//
// mu guards every sink's state and the timeline: writes of all sinks
// serialise on it, which is what makes a switch atomic (the old input's
// next frame finds itself cut).
type Feed struct {
	mu   sync.Mutex
	hub  *hub.Hub
	live *Sink       // the sink writing to the hub; nil when none
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

	onTakeOver func(s *Sink, arm uint64)
}

// New returns the Feed of h. onTakeOver is called once per arming of a
// sink that took the hub over at its keyframe, with the arm number Arm
// gave it. It runs on the writing input's goroutine with the Feed locked:
// it must not block or call the Feed (sending a message is what it is
// for).
func New(h *hub.Hub, onTakeOver func(s *Sink, arm uint64)) *Feed {
	return &Feed{hub: h, step: defaultStep, onTakeOver: onTakeOver}
}

// NewSink returns the sink of a new run of an input, under tracks. index
// is the owner's tag for the input (Sink.Index); the Feed does not read it.
// The sink drops what it is written until it is armed and reaches a
// keyframe.
func (f *Feed) NewSink(index int, tracks []media.Track) *Sink {
	return &Sink{f: f, index: index, tracks: tracks, lead: leadTrack(tracks), revoked: make(chan struct{})}
}

// Arm lets s take the hub over at its next keyframe, reporting arm to
// onTakeOver; 0 disarms it.
func (f *Feed) Arm(s *Sink, arm uint64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s.armed = arm
}

// Cut leaves the hub without a writer if s is live; s stays open and may
// be armed again.
func (f *Feed) Cut(s *Sink) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.live == s {
		f.w.Revoke()
		f.live, f.w = nil, nil
	}
}

// Close drops everything s is written from now on and tells its writer
// (Sink.Revoked).
func (f *Feed) Close(s *Sink) {
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

// IsLive reports whether s feeds the hub.
func (f *Feed) IsLive(s *Sink) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.live == s
}

// takeOver makes s the live sink at keyframe fr: a new hub writer under
// s's tracks (revoking the previous one) and an offset that continues the
// output timeline one frame after its last DTS. Called with f.mu held.
func (f *Feed) takeOver(s *Sink, fr *media.Frame) {
	arm := s.armed
	s.armed = 0
	f.w = f.hub.NewWriter()
	f.hub.SetTracks(s.tracks)
	f.live = s
	s.offset, s.last = 0, fr.DTS
	if f.haveOut {
		s.offset = f.lastOut + f.step - fr.DTS
	}
	f.onTakeOver(s, arm)
}

// write passes fr from the live sink s to the hub, rebased. Called with
// f.mu held.
func (f *Feed) write(s *Sink, fr *media.Frame) {
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
