package mpegtstest

import (
	"sync"
	"testing"
	"time"

	"streamhive/media"
)

// Recorder is a media.Sink and a publish function for Pull tests: it
// keeps the tracks and every frame, and lets the test wait for enough of
// them. Safe for concurrent use.
type Recorder struct {
	mu      sync.Mutex
	changed chan struct{} // closed and replaced on every change
	tracks  []media.Track
	frames  []*media.Frame
	calls   int
}

// NewRecorder returns an empty Recorder.
func NewRecorder() *Recorder { return &Recorder{changed: make(chan struct{})} }

// Publish is the publish callback a Puller gets.
func (r *Recorder) Publish(tracks []media.Track) (media.Sink, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.tracks = tracks
	r.calls++
	r.notifyLocked()
	return r, nil
}

// WriteFrame implements media.Sink.
func (r *Recorder) WriteFrame(f *media.Frame) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.frames = append(r.frames, f)
	r.notifyLocked()
}

func (r *Recorder) notifyLocked() {
	close(r.changed)
	r.changed = make(chan struct{})
}

// Snapshot returns the tracks, a copy of the frame list and how many
// times Publish was called.
func (r *Recorder) Snapshot() ([]media.Track, []*media.Frame, int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.tracks, append([]*media.Frame(nil), r.frames...), r.calls
}

// Count returns how many frames of track id were written, and how many
// of them were keyframes.
func (r *Recorder) Count(id int) (n, keys int) {
	_, frames, _ := r.Snapshot()
	for _, f := range frames {
		if f.Track == id {
			n++
			if f.Keyframe {
				keys++
			}
		}
	}
	return n, keys
}

// WaitFor blocks until cond holds for the recorded frames, failing the
// test after timeout (wall-clock, or fake time in a synctest bubble).
// done, when not nil, ends the wait early with a failure: pass the
// channel that reports the Pull's return.
func (r *Recorder) WaitFor(t testing.TB, timeout time.Duration, done <-chan error, what string, cond func(frames []*media.Frame) bool) {
	t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		r.mu.Lock()
		ok, changed := cond(r.frames), r.changed
		r.mu.Unlock()
		if ok {
			return
		}
		select {
		case <-changed:
		case err := <-done:
			t.Fatalf("waiting for %s: Pull returned %v", what, err)
		case <-deadline.C:
			_, frames, _ := r.Snapshot()
			t.Fatalf("waiting for %s: timed out after %v with %d frames", what, timeout, len(frames))
		}
	}
}

// CheckMonotonic fails the test if a track's DTS does not grow or a PTS
// is before its DTS.
func CheckMonotonic(t testing.TB, frames []*media.Frame) {
	t.Helper()
	last := map[int]time.Duration{}
	for i, f := range frames {
		if p, ok := last[f.Track]; ok && f.DTS <= p {
			t.Fatalf("frame %d track %d: DTS %v after %v", i, f.Track, f.DTS, p)
		}
		if f.PTS < f.DTS || f.DTS < 0 {
			t.Fatalf("frame %d track %d: DTS %v PTS %v", i, f.Track, f.DTS, f.PTS)
		}
		last[f.Track] = f.DTS
	}
}

// Frames returns a WaitFor condition: at least n frames of track id, the
// first of them a keyframe.
func Frames(id, n int) func([]*media.Frame) bool {
	return func(frames []*media.Frame) bool {
		c := 0
		for _, f := range frames {
			if f.Track == id {
				c++
			}
		}
		return c >= n
	}
}
