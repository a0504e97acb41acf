package vod

import (
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"streamhive/media/mediatest"
	"streamhive/media/segment"
)

// osFile is a File over a file on disk.
type osFile struct{ *os.File }

func (f osFile) Size() int64 {
	info, err := f.Stat()
	if err != nil {
		return 0
	}
	return info.Size()
}

// testAsset opens one of media/mp4file's committed clips.
func testAsset(t *testing.T, name string) *Asset {
	t.Helper()
	f, err := os.Open("../mp4file/testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	a, err := newAsset(osFile{f}, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = a.Close() })
	return a
}

// TestCacheSingleFlight: viewers missing the same segment at once share
// one cut; each gets the same segment; a later request is a hit.
func TestCacheSingleFlight(t *testing.T) {
	const viewers = 8
	a := testAsset(t, "progressive.mp4")
	c := NewCache(0)
	var cuts atomic.Int32
	release := make(chan struct{})
	c.cutter = func(a *Asset, k int) (*segment.Segment, error) {
		cuts.Add(1)
		<-release
		return a.Cut(k)
	}
	got := make([]*segment.Segment, viewers)
	var wg sync.WaitGroup
	for i := range viewers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			seg, err := c.Segment("f", a, 0)
			if err != nil {
				t.Error(err)
			}
			got[i] = seg
		}()
	}
	mediatest.WaitFor(t, 5*time.Second, "every viewer waiting on the one cut", func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		run := c.cutting[Key{"f", 0}]
		return run != nil && run.waiters == viewers-1
	})
	close(release)
	wg.Wait()
	if n := cuts.Load(); n != 1 {
		t.Fatalf("%d cuts for %d viewers, want 1", n, viewers)
	}
	for i, seg := range got {
		if seg == nil || seg != got[0] {
			t.Fatalf("viewer %d got %p, viewer 0 %p", i, seg, got[0])
		}
	}
	if _, err := c.Segment("f", a, 0); err != nil || cuts.Load() != 1 {
		t.Fatalf("a later request cut again (%d cuts, %v)", cuts.Load(), err)
	}
	if c.Used() == 0 || len(c.cutting) != 0 {
		t.Fatalf("used %d, %d cuts still marked running", c.Used(), len(c.cutting))
	}
}

// TestCacheFailedCutRetried: a cut that fails is not kept; the next
// request cuts again.
func TestCacheFailedCutRetried(t *testing.T) {
	a := testAsset(t, "progressive.mp4")
	c := NewCache(0)
	if _, err := c.Segment("f", a, a.Segments()); err == nil {
		t.Fatal("a segment past the end was cut")
	}
	if _, err := c.Segment("f", a, 0); err != nil {
		t.Fatal(err)
	}
}

// TestKeyframe: a time finds the keyframe at or before it, never a later
// one; times outside the file clamp to its ends.
func TestKeyframe(t *testing.T) {
	a := testAsset(t, "progressive.mp4")
	samples := a.movie.Table(a.lead).Samples
	for _, at := range []time.Duration{-time.Second, 0, time.Second, a.Duration() / 2, a.Duration(), time.Hour} {
		_, f, i, err := a.Keyframe(at)
		if err != nil {
			t.Fatalf("%v: %v", at, err)
		}
		if !f.Keyframe || !samples[i].Sync {
			t.Fatalf("%v: sample %d is not a keyframe", at, i)
		}
		got := a.movie.Time(a.lead, i)
		if at >= 0 && got > at {
			t.Errorf("%v: keyframe at %v is after it", at, got)
		}
		for j := i + 1; j < len(samples) && a.movie.Time(a.lead, j) <= at; j++ {
			if samples[j].Sync {
				t.Errorf("%v: keyframe %d at %v, a nearer one is %d", at, i, got, j)
				break
			}
		}
	}
}
