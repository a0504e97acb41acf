// Package hub fans one stream's frames out from one writer to many
// consumers. Each consumer has a bounded queue: a consumer that falls behind
// loses frames until the next keyframe (and the loss is counted), so the
// writer never blocks and a slow consumer never delays the others. A GOP
// cache lets a new consumer start on the latest keyframe while consumers
// are joining (kept a minute of the stream's timeline after the last).
//
// The hub imports no actor package: the stream actor owns the Hub and decides
// which input may write by granting and revoking Writers.
package hub

import (
	"errors"
	"sync"

	"streamhive/media"
)

// ErrClosed is returned by Consumer.Read once the hub or the consumer has
// been closed and the consumer's queue is drained.
var ErrClosed = errors.New("hub: closed")

// DefaultQueueLen is a consumer's queue capacity when Options.QueueLen is
// zero: 1024 frames hold about 14 s of 25 fps video with 48 kHz AAC, far
// more than one GOP, so that the whole GOP cache fits a new consumer's queue.
const DefaultQueueLen = 1024

// Options configure a Hub.
type Options struct {
	// QueueLen is each consumer's queue capacity in frames and also the
	// largest GOP the cache keeps. Zero means DefaultQueueLen.
	QueueLen int
}

// Hub distributes frames from its live Writer to its Consumers. The zero
// value is not usable; call New. All methods are safe for concurrent use.
type Hub struct {
	queueLen int

	mu        sync.Mutex  // one lock: writes, subscriptions and grants are short
	writer    *Writer     // the live writer, nil if none; guarded by mu
	tracks    *Tracks     // guarded by mu; never nil
	derived   derivedSet  // guarded by mu (derived.go)
	consumers []*Consumer // guarded by mu
	gop       gopCache    // guarded by mu
	closed    bool        // guarded by mu
	stats     Stats       // guarded by mu (Consumers is computed)
}

// Stats counts what a hub has seen.
type Stats struct {
	Frames    uint64 // frames accepted from the live writer
	Bytes     uint64 // payload bytes of those frames
	Revoked   uint64 // frames dropped because their writer had been revoked
	Consumers int    // consumers subscribed now
}

// New returns an open hub with an empty track list and no writer.
func New(opts Options) *Hub {
	n := opts.QueueLen
	if n <= 0 {
		n = DefaultQueueLen
	}
	h := &Hub{queueLen: n, tracks: newTracks(0, nil)}
	h.derived.rebuildLocked(h.tracks)
	h.gop.subscribed() // a new hub's first consumers are still to come
	return h
}

// SetTracks replaces the track list. Frames written after it are delivered
// with the new list (see Delivery.Tracks); frames already queued keep the
// list they were written under. tracks is copied; the Tracks inside are
// immutable from now on.
func (h *Hub) SetTracks(tracks []media.Track) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.tracks = newTracks(h.tracks.Version+1, tracks)
	h.derived.rebuildLocked(h.tracks)
	h.gop.reset()
}

// Tracks returns the current track list.
func (h *Hub) Tracks() *Tracks {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.tracks
}

// Stats returns the hub's counters.
func (h *Hub) Stats() Stats {
	h.mu.Lock()
	defer h.mu.Unlock()
	s := h.stats
	s.Consumers = len(h.consumers)
	return s
}

// Close revokes the writer and closes every consumer: a blocked Read
// returns once the consumer's queue is drained. Close is idempotent.
func (h *Hub) Close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return
	}
	h.closed = true
	if h.writer != nil {
		h.writer.revoked = true
		h.writer = nil
	}
	h.derived.revokeAllLocked()
	for _, c := range h.consumers {
		c.closeLocked()
	}
	h.consumers = nil
	h.gop.reset()
}
