package segment

import "context"

// publish stores a new Window and wakes everyone waiting on the old one.
func (s *Segmenter) publish() {
	s.version++
	w := &Window{
		Version:        s.version,
		Segments:       s.done[:len(s.done):len(s.done)],
		TargetDuration: s.cfg.SegmentDuration,
		PartTarget:     s.cfg.PartDuration,
		Ended:          s.closed,
		changed:        make(chan struct{}),
	}
	if s.ep != nil {
		w.Init, w.Tracks = s.ep.init, s.ep.init.Tracks
	}
	if b := s.seg; b != nil {
		p := b.seg
		p.Parts = b.parts[:len(b.parts):len(b.parts)]
		for _, x := range p.Parts {
			p.Duration += x.Duration
		}
		w.Partial = &p
	}
	if old := s.win.Swap(w); old != nil {
		close(old.changed)
	}
}

// Wait blocks until the window holds segment msn (part < 0) or part `part`
// of segment msn, as an LL-HLS blocking playlist reload needs, and returns
// nil; or returns ErrTooFarAhead at once for a request RFC 8216bis says to
// refuse, ErrClosed when the segmenter ends first, or ctx's error. It is
// safe from any goroutine and costs nothing while it waits: every publish
// closes the channel it sleeps on.
func (s *Segmenter) Wait(ctx context.Context, msn uint64, part int) error {
	for {
		w := s.win.Load()
		switch {
		case w.Has(msn, part):
			return nil
		case w.Ended:
			return ErrClosed
		case w.TooFarAhead(msn, part):
			return ErrTooFarAhead
		}
		select {
		case <-w.changed:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// Next blocks until the latest window is not w and returns it, or returns
// ctx's error. With w nil (or any window but the latest) it returns the
// latest at once. Safe from any goroutine; a waiter sleeps on the channel
// the next publish closes.
func (s *Segmenter) Next(ctx context.Context, w *Window) (*Window, error) {
	for {
		cur := s.win.Load()
		if cur != w {
			return cur, nil
		}
		select {
		case <-cur.changed:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}
