package push

import (
	"context"

	"streamhive/media"
	"streamhive/media/hub"
)

// selected is the Source a sender reads: the session's hub consumer with
// only the tracks the push carries. Its track list keeps the hub's
// version and track IDs. It belongs to the sender's goroutine, as the
// consumer does.
//
// A carried video track starts at its own keyframe: the hub starts a
// consumer (and resumes one that lost frames) at a keyframe of any video
// track, which may be another rendition's. Until the first such
// keyframe nothing is passed, so the receiver begins with a picture.
type selected struct {
	src    Source
	choice trackChoice

	tracks    *hub.Tracks   // the carried tracks under the hub's version; nil before the first sync
	keep      map[int]bool  // carried track IDs
	waiting   map[int]bool  // carried video tracks that wait for a keyframe
	started   bool          // a carried video track has passed a keyframe (or none is carried)
	dropped   uint64        // the consumer's drop count when last seen
	droppedOf func() uint64 // the consumer's drop count; nil when src does not tell
}

// OneRendition is src with one rendition of it: the video track with the
// largest picture and the first audio track, each video track starting
// at its own keyframe, as an RTMP push carries them. The play connections
// of the listeners (RTMP, RTSP) read it.
func OneRendition(src Source) Source { return newSelected(src, trackChoice{one: true}) }

func newSelected(src Source, c trackChoice) *selected {
	s := &selected{src: src, choice: c}
	if d, ok := src.(interface{ Dropped() uint64 }); ok {
		s.droppedOf = d.Dropped
	}
	return s
}

// Read returns the next frame of a carried track. It fails with
// ErrNoTrack when the stream lacks a track the push names.
func (s *selected) Read(ctx context.Context) (*media.Frame, error) {
	for {
		f, err := s.src.Read(ctx)
		if err != nil {
			return nil, err
		}
		if err := s.sync(); err != nil {
			return nil, err
		}
		if s.pass(f) {
			return f, nil
		}
	}
}

// Tracks returns the carried tracks of the frame Read returned last.
func (s *selected) Tracks() *hub.Tracks {
	if s.tracks == nil && s.sync() != nil {
		return &hub.Tracks{Version: s.src.Tracks().Version}
	}
	return s.tracks
}

// sync follows the hub's track list and the consumer's losses.
func (s *selected) sync() error {
	if err := s.retrack(s.src.Tracks()); err != nil {
		return err
	}
	if s.droppedOf != nil {
		if n := s.droppedOf(); n != s.dropped {
			s.dropped = n
			s.waitAll() // the frames after the gap need a keyframe
		}
	}
	return nil
}

// retrack picks the carried tracks of a new track list.
func (s *selected) retrack(t *hub.Tracks) error {
	if s.tracks != nil && t.Version == s.tracks.Version {
		return nil
	}
	list, err := s.choice.pick(t.List)
	if err != nil {
		return err
	}
	keep := make(map[int]bool, len(list))
	for _, tr := range list {
		keep[tr.ID] = true
	}
	if s.waiting == nil {
		s.waiting = map[int]bool{}
	}
	for _, tr := range list {
		if tr.Codec.Kind() == media.KindVideo && !s.keep[tr.ID] {
			s.waiting[tr.ID] = true // newly carried
		}
	}
	s.tracks, s.keep = &hub.Tracks{Version: t.Version, List: list}, keep
	s.started = s.started || len(s.waiting) == 0
	return nil
}

// waitAll makes every carried video track wait for its next keyframe.
func (s *selected) waitAll() {
	for _, tr := range s.tracks.List {
		if tr.Codec.Kind() == media.KindVideo {
			s.waiting[tr.ID] = true
		}
	}
}

// pass reports whether f goes to the sender.
func (s *selected) pass(f *media.Frame) bool {
	if !s.keep[f.Track] {
		return false
	}
	if s.waiting[f.Track] {
		if !f.Keyframe {
			return false
		}
		delete(s.waiting, f.Track)
		s.started = true
	}
	return s.started
}
