package whip_test

import (
	"context"
	"errors"
	"net"
	"slices"
	"sync"

	"streamhive/media"
)

var errNoSuchStream = errors.New("test: no such stream")

// fakeHooks admits one stream name and records its publications.
type fakeHooks struct {
	name media.StreamName

	mu       sync.Mutex
	pubs     [][]media.Track // Publish calls, in order
	frames   []*media.Frame  // of every publication
	released int
	stats    *media.InputStats
}

func (h *fakeHooks) Admit(_ context.Context, name media.StreamName, _ net.Addr) error {
	if name != h.name {
		return errNoSuchStream
	}
	return nil
}

func (h *fakeHooks) Publish(ctx context.Context, _ media.StreamName, tracks []media.Track, _ net.Addr) (media.Sink, func(), error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.pubs = append(h.pubs, tracks)
	h.stats = media.InputStatsFrom(ctx)
	var once sync.Once
	return fakeSink{h}, func() {
		once.Do(func() {
			h.mu.Lock()
			h.released++
			h.mu.Unlock()
		})
	}, nil
}

type fakeSink struct{ h *fakeHooks }

func (s fakeSink) WriteFrame(f *media.Frame) {
	s.h.mu.Lock()
	s.h.frames = append(s.h.frames, f)
	s.h.mu.Unlock()
}

// snapshot returns copies of what was recorded.
func (h *fakeHooks) snapshot() (pubs [][]media.Track, frames []*media.Frame, released int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.pubs), slices.Clone(h.frames), h.released
}

// count returns how many frames of track were written.
func (h *fakeHooks) count(track int) int {
	_, frames, _ := h.snapshot()
	n := 0
	for _, f := range frames {
		if f.Track == track {
			n++
		}
	}
	return n
}
