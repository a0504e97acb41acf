package listener

import (
	"bytes"
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"streamhive/media/mediatest"
	"streamhive/media/segment"
)

// fakeParts is a TSParts whose windows a test publishes.
type fakeParts struct {
	mu      sync.Mutex
	win     *segment.Window
	changed chan struct{}
}

func newFakeParts(w *segment.Window) *fakeParts {
	return &fakeParts{win: w, changed: make(chan struct{})}
}

func (f *fakeParts) Window() *segment.Window {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.win
}

func (f *fakeParts) publish(w *segment.Window) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.win = w
	close(f.changed)
	f.changed = make(chan struct{})
}

func (f *fakeParts) Wait(ctx context.Context, msn uint64, part int) error {
	for {
		f.mu.Lock()
		w, ch := f.win, f.changed
		f.mu.Unlock()
		switch {
		case w.Has(msn, part):
			return nil
		case w.Ended:
			return segment.ErrClosed
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// seg is segment msn with parts named by their TS bytes; an upper-case
// name starts with a keyframe.
func seg(msn uint64, names ...string) *segment.Segment {
	s := &segment.Segment{MSN: msn}
	for i, n := range names {
		p := &segment.Part{Index: i, Independent: n[0] >= 'A' && n[0] <= 'Z'}
		s.Parts = append(s.Parts, p.WithTS([]byte(n)))
	}
	return s
}

// syncBuffer collects what a follower writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestTSFollower(t *testing.T) {
	first := newFakeParts(&segment.Window{
		Segments: []*segment.Segment{seg(0, "A", "b"), seg(1, "C", "d")},
		Partial:  seg(2, "e"),
	})
	second := newFakeParts(&segment.Window{Partial: seg(0, "x", "Y", "z")})
	var sent int
	var mu sync.Mutex
	f := &tsFollower{
		parts: first,
		again: func(context.Context) (TSParts, error) { return second, nil },
		sent: func(n int) {
			mu.Lock()
			sent += n
			mu.Unlock()
		},
	}
	ctx, cancel := context.WithCancel(context.Background())
	var out syncBuffer
	done := make(chan error, 1)
	go func() { done <- f.follow(ctx, &out) }()

	// From the latest keyframe (C) on, across the segment boundary.
	mediatest.WaitFor(t, 5*time.Second, "Cde", func() bool { return out.String() == "Cde" })
	first.publish(&segment.Window{
		Segments: []*segment.Segment{seg(1, "C", "d"), seg(2, "e", "f")},
		Partial:  seg(3, "G"),
	})
	mediatest.WaitFor(t, 5*time.Second, "CdefG", func() bool { return out.String() == "CdefG" })
	// The stream restarts: its new segmenter is followed from its keyframe.
	first.publish(&segment.Window{Segments: []*segment.Segment{seg(3, "G")}, Ended: true})
	mediatest.WaitFor(t, 5*time.Second, "CdefGYz", func() bool { return out.String() == "CdefGYz" })
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("follow = %v, want context.Canceled", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if sent != len("CdefGYz") {
		t.Errorf("sent %d bytes, want %d", sent, len("CdefGYz"))
	}
}

func TestTSFollowerEnds(t *testing.T) {
	ended := &segment.Window{Segments: []*segment.Segment{seg(0, "A")}, Ended: true}
	parts := newFakeParts(ended)
	f := &tsFollower{
		parts: parts,
		again: func(context.Context) (TSParts, error) { return parts, nil }, // no new segmenter
		sent:  func(int) {},
	}
	var out syncBuffer
	if err := f.follow(context.Background(), &out); err == nil || out.String() != "A" {
		t.Errorf("follow = %v after %q, want the stream's end after A", err, out.String())
	}
	failing := &tsFollower{parts: newFakeParts(&segment.Window{Partial: seg(0, "A")}), sent: func(int) {}}
	if err := failing.follow(context.Background(), errWriter{}); err == nil {
		t.Error("follow went on after a failed write")
	}
}

type errWriter struct{}

func (errWriter) Write([]byte) (int, error) { return 0, errors.New("gone") }
