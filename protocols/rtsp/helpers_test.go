package rtsp

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"testing"
	"time"

	"streamhive/media"
	"streamhive/media/mediatest"
)

// recorder is a media.Sink that keeps every frame, for assertions.
type recorder struct {
	mu     sync.Mutex
	tracks []media.Track
	frames []*media.Frame
}

func (r *recorder) WriteFrame(f *media.Frame) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.frames = append(r.frames, f)
}

func (r *recorder) setTracks(t []media.Track) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.tracks = t
}

// snapshot returns the tracks and a copy of the frame list.
func (r *recorder) snapshot() ([]media.Track, []*media.Frame) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.tracks, append([]*media.Frame(nil), r.frames...)
}

// count returns how many frames of track id arrived.
func (r *recorder) count(id int) int {
	_, frames := r.snapshot()
	n := 0
	for _, f := range frames {
		if f.Track == id {
			n++
		}
	}
	return n
}

// checkTimeline asserts what every consumer relies on: the first frame of
// each video track is a keyframe, DTS never goes backwards within a
// track, PTS is never before DTS, and nothing is before the origin.
func checkTimeline(t *testing.T, tracks []media.Track, frames []*media.Frame) {
	t.Helper()
	last := map[int]time.Duration{}
	for i, f := range frames {
		prev, seen := last[f.Track]
		if !seen && tracks[f.Track].Codec.Kind() == media.KindVideo && !f.Keyframe {
			t.Errorf("frame %d: first video frame is not a keyframe", i)
		}
		if f.DTS < 0 || f.PTS < f.DTS || (seen && f.DTS < prev) {
			t.Fatalf("frame %d (track %d): DTS %v PTS %v after DTS %v", i, f.Track, f.DTS, f.PTS, prev)
		}
		if len(f.Data) == 0 || f.Size() == 0 {
			t.Fatalf("frame %d: empty", i)
		}
		last[f.Track] = f.DTS
	}
}

// fakeHooks implements Hooks with a recorder per publication, or refuses
// every publisher with refuse.
type fakeHooks struct {
	refuse error

	mu       sync.Mutex
	pubs     []*fakePub
	released int
}

type fakePub struct {
	name  media.StreamName
	info  PublishInfo
	stats *media.InputStats
	rec   *recorder
}

func (h *fakeHooks) Publish(ctx context.Context, name media.StreamName, tracks []media.Track) (media.Sink, func(), error) {
	if h.refuse != nil {
		return nil, nil, h.refuse
	}
	info, ok := PublishInfoFrom(ctx)
	if !ok {
		return nil, nil, errors.New("no PublishInfo in the context")
	}
	p := &fakePub{name: name, info: info, stats: media.InputStatsFrom(ctx), rec: &recorder{}}
	p.rec.setTracks(tracks)
	h.mu.Lock()
	h.pubs = append(h.pubs, p)
	h.mu.Unlock()
	var once sync.Once
	return p.rec, func() {
		once.Do(func() {
			h.mu.Lock()
			h.released++
			h.mu.Unlock()
		})
	}, nil
}

func (h *fakeHooks) state() ([]*fakePub, int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]*fakePub(nil), h.pubs...), h.released
}

// debugLogger logs everything at debug level into b.
func debugLogger(b *mediatest.LogBuffer) *slog.Logger {
	return slog.New(slog.NewTextHandler(b, &slog.HandlerOptions{Level: slog.LevelDebug}))
}
