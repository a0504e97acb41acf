package hub

import "streamhive/media"

// DerivedTrackBase is the first ID of a derived track: far above any
// source's track count, so a derived track never takes the ID of one of
// the writer's tracks, whatever lists SetTracks brings later.
const DerivedTrackBase = 64

// A derived track is made by the server from the stream's own frames for
// the outputs that ask for it, and lives only while one does: the Opus
// rendition of AAC audio that WebRTC viewers need. It is kept apart from
// the writer's tracks so that its coming and going changes nothing for the
// other outputs: Tracks and the consumers of Subscribe never see it (the
// packager, hence HLS, DASH and the DVR, and the pushes keep one track list
// and no new epoch), and it neither empties the GOP cache nor makes
// consumers wait for a keyframe. Consumers of SubscribeAll see the
// writer's tracks followed by the derived ones, in a list whose Version
// changes when either does.
type derivedSet struct {
	writers []*DerivedWriter // live ones, in the order they were added
	all     *Tracks          // the writer's tracks and the derived ones; never nil
	version uint64           // all's version: grows on every change of either part
}

// rebuildLocked makes all from the writer's list main and the live
// derived tracks.
func (s *derivedSet) rebuildLocked(main *Tracks) {
	list := append([]media.Track(nil), main.List...)
	for _, w := range s.writers {
		list = append(list, w.track)
	}
	s.version++
	s.all = newTracks(s.version, list)
}

// revokeAllLocked revokes every derived writer (the hub closes).
func (s *derivedSet) revokeAllLocked() {
	for _, w := range s.writers {
		w.revoked = true
	}
	s.writers = nil
}

// freeIDLocked returns the lowest derived ID no live writer uses.
func (s *derivedSet) freeIDLocked() int {
	id := DerivedTrackBase
	for taken := true; taken; {
		taken = false
		for _, w := range s.writers {
			if w.track.ID == id {
				id, taken = id+1, true
			}
		}
	}
	return id
}

// SubscribeAll is Subscribe for an output that reads the derived tracks
// as well (see DerivedWriter): its Tracks lists the writer's tracks, then
// the derived ones. The cached GOP it starts with holds the writer's
// frames only; derived frames follow live.
func (h *Hub) SubscribeAll() *Consumer { return h.subscribe(true) }

// DerivedWriter writes one derived track into a Hub, beside its live
// Writer and unaffected by grants: NewWriter and RevokeWriter leave it
// alone. Close removes the track. Its frames reach only the consumers of
// SubscribeAll. WriteFrame may be called from any goroutine.
type DerivedWriter struct {
	h       *Hub
	track   media.Track // immutable once added
	revoked bool        // guarded by h.mu
}

var _ media.Sink = (*DerivedWriter)(nil)

// AddDerived adds track t (its ID is chosen here, from DerivedTrackBase
// up) and returns its writer. On a closed hub the writer is already
// revoked.
func (h *Hub) AddDerived(t media.Track) *DerivedWriter {
	h.mu.Lock()
	defer h.mu.Unlock()
	t.ID = h.derived.freeIDLocked()
	w := &DerivedWriter{h: h, track: t}
	if h.closed {
		w.revoked = true
		return w
	}
	h.derived.writers = append(h.derived.writers, w)
	h.derived.rebuildLocked(h.tracks)
	return w
}

// Track returns the derived track, with its ID.
func (w *DerivedWriter) Track() media.Track { return w.track }

// WriteFrame implements media.Sink. It sets f.Track to the derived
// track's ID; neither the caller nor anyone else may modify f afterwards.
// The frames of a closed writer are dropped.
func (w *DerivedWriter) WriteFrame(f *media.Frame) {
	h := w.h
	h.mu.Lock()
	defer h.mu.Unlock()
	if w.revoked {
		return
	}
	f.Track = w.track.ID
	d := Delivery{Frame: f, Tracks: h.derived.all}
	for _, c := range h.consumers {
		if c.all {
			c.offerLocked(d)
		}
	}
}

// Close removes the derived track: the consumers of SubscribeAll get a
// list without it with the next frame. Idempotent.
func (w *DerivedWriter) Close() {
	h := w.h
	h.mu.Lock()
	defer h.mu.Unlock()
	if w.revoked {
		return
	}
	w.revoked = true
	for i, x := range h.derived.writers {
		if x == w {
			h.derived.writers = append(h.derived.writers[:i], h.derived.writers[i+1:]...)
			break
		}
	}
	h.derived.rebuildLocked(h.tracks)
}
