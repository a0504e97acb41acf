package hub

import "streamhive/media"

// Writer is a revocable right to write into a Hub; it implements
// media.Sink. At most one Writer of a hub is live: NewWriter revokes the
// previous one, and a revoked Writer's frames are dropped and counted.
// WriteFrame may be called from any goroutine.
type Writer struct {
	h       *Hub
	revoked bool // guarded by h.mu
}

var _ media.Sink = (*Writer)(nil)

// NewWriter returns the hub's new live writer and revokes the previous one,
// so that the last frames of a publisher that is still shutting down are
// dropped instead of interleaving with its successor's. The GOP cache is
// emptied and every consumer waits for the new writer's first keyframe. On a
// closed hub the returned writer is already revoked.
func (h *Hub) NewWriter() *Writer {
	h.mu.Lock()
	defer h.mu.Unlock()
	w := &Writer{h: h}
	if h.closed {
		w.revoked = true
		return w
	}
	if h.writer != nil {
		h.writer.revoked = true
	}
	h.writer = w
	h.gop.reset()
	h.gop.newTimeline()
	for _, c := range h.consumers {
		c.needGOP = true
	}
	return w
}

// RevokeWriter revokes the live writer, if any, leaving the hub without one.
func (h *Hub) RevokeWriter() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.writer != nil {
		h.writer.revoked = true
		h.writer = nil
	}
}

// Revoke revokes w; it is a no-op if w was already revoked.
func (w *Writer) Revoke() {
	w.h.mu.Lock()
	defer w.h.mu.Unlock()
	w.revoked = true
	if w.h.writer == w {
		w.h.writer = nil
	}
}

// Revoked reports whether w's frames are being dropped.
func (w *Writer) Revoked() bool {
	w.h.mu.Lock()
	defer w.h.mu.Unlock()
	return w.revoked
}

// WriteFrame implements media.Sink. It never blocks on a consumer: a full
// queue loses the frame. f must not be modified afterwards.
func (w *Writer) WriteFrame(f *media.Frame) {
	h := w.h
	h.mu.Lock()
	defer h.mu.Unlock()
	if w.revoked {
		h.stats.Revoked++
		return
	}
	h.stats.Frames++
	h.stats.Bytes += uint64(f.Size())
	d := Delivery{Frame: f, Tracks: h.tracks}
	h.gop.add(d, h.queueLen)
	all := Delivery{Frame: f, Tracks: h.derived.all}
	for _, c := range h.consumers {
		if c.all {
			c.offerLocked(all)
		} else {
			c.offerLocked(d)
		}
	}
}
