package hub

import (
	"context"
	"sync/atomic"

	"streamhive/media"
)

// Delivery is one frame as a consumer receives it, with the track list that
// was current when it was written.
type Delivery struct {
	Frame  *media.Frame
	Tracks *Tracks
}

// Consumer is one subscription to a Hub. Read (or receiving from C) is for
// one goroutine; Close, Dropped and Done are safe from any goroutine.
type Consumer struct {
	h    *Hub
	q    chan Delivery
	done chan struct{} // closed by Close or Hub.Close

	all     bool // sees the derived tracks too (SubscribeAll); set before subscribing
	needGOP bool // drop until a GOP start; guarded by h.mu
	closed  bool // guarded by h.mu
	dropped atomic.Uint64

	cur *Tracks // tracks of the last frame returned by Read; Read's goroutine only
}

// Subscribe adds a consumer. It first receives the cached GOP (from the
// latest keyframe on), then live frames. Without a cached GOP (none yet,
// or none kept: no consumer joined in the last minute of the timeline) it
// waits for the next keyframe. On a closed hub the consumer is already
// closed.
func (h *Hub) Subscribe() *Consumer { return h.subscribe(false) }

func (h *Hub) subscribe(all bool) *Consumer {
	c := &Consumer{h: h, q: make(chan Delivery, h.queueLen), done: make(chan struct{}), all: all}
	h.mu.Lock()
	defer h.mu.Unlock()
	c.cur = h.tracks
	if all {
		c.cur = h.derived.all
	}
	if h.closed {
		c.closeLocked()
		return c
	}
	h.gop.subscribed()
	c.needGOP = !h.gop.valid
	for _, d := range h.gop.d {
		if all {
			// The cache holds frames of the current main list only
			// (SetTracks empties it), which h.derived.all extends.
			d.Tracks = h.derived.all
		}
		c.q <- d // fits: the cache never holds more than queueLen
	}
	h.consumers = append(h.consumers, c)
	return c
}

// offerLocked queues d unless the consumer is waiting for a GOP start or its
// queue is full; either way the frame is counted as dropped.
func (c *Consumer) offerLocked(d Delivery) {
	if c.needGOP {
		if !d.Tracks.startsGOP(d.Frame) {
			c.dropped.Add(1)
			return
		}
		c.needGOP = false
	}
	select {
	case c.q <- d:
	default:
		c.dropped.Add(1)
		c.needGOP = true
	}
}

// Read returns the next frame, blocking until one is queued, ctx ends or the
// consumer is closed. After a close it still returns what was queued, then
// ErrClosed.
func (c *Consumer) Read(ctx context.Context) (*media.Frame, error) {
	select {
	case d := <-c.q:
		c.cur = d.Tracks
		return d.Frame, nil
	default:
	}
	select {
	case d := <-c.q:
		c.cur = d.Tracks
		return d.Frame, nil
	case <-c.done:
		select {
		case d := <-c.q:
			c.cur = d.Tracks
			return d.Frame, nil
		default:
			return nil, ErrClosed
		}
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Tracks returns the track list that describes the frame Read returned
// last (before the first Read: the hub's list at Subscribe). Call it from
// Read's goroutine.
func (c *Consumer) Tracks() *Tracks { return c.cur }

// C returns the queue for use in a select. It is never closed: select on
// Done as well. Use either C or Read, not both.
func (c *Consumer) C() <-chan Delivery { return c.q }

// Done is closed when the consumer or its hub is closed.
func (c *Consumer) Done() <-chan struct{} { return c.done }

// Dropped returns how many frames this consumer lost, to a full queue or
// while waiting for a keyframe.
func (c *Consumer) Dropped() uint64 { return c.dropped.Load() }

// Close unsubscribes the consumer and wakes a blocked Read. Idempotent.
func (c *Consumer) Close() {
	h := c.h
	h.mu.Lock()
	defer h.mu.Unlock()
	for i, x := range h.consumers {
		if x == c {
			last := len(h.consumers) - 1
			h.consumers[i] = h.consumers[last]
			h.consumers[last] = nil
			h.consumers = h.consumers[:last]
			break
		}
	}
	c.closeLocked()
}

func (c *Consumer) closeLocked() {
	if !c.closed {
		c.closed = true
		close(c.done)
	}
}
