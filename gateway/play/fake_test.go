package play

import (
	"bytes"
	"context"
	"image"
	"image/jpeg"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"streamhive/media"
	"streamhive/media/mediatest"
	"streamhive/media/segment"
)

// fakeStreams is a Streams over a map, fixed before the server starts.
type fakeStreams map[string]*fakeStream

func (m fakeStreams) Lookup(name string) (Stream, bool) {
	s, ok := m[name]
	if !ok {
		return nil, false
	}
	return s, true
}

// fakeStream is a Stream whose segmenter a test sets and feeds.
type fakeStream struct {
	seg      atomic.Pointer[segment.Segmenter]
	disabled map[string]bool // by protocol name
	preview  []byte          // nil: not producing
}

func (f *fakeStream) Segmenter() *segment.Segmenter { return f.seg.Load() }
func (f *fakeStream) Enabled(p string) bool         { return !f.disabled[p] }

func (f *fakeStream) Preview(context.Context) ([]byte, error) {
	if f.preview == nil {
		return nil, ErrNotProducing
	}
	return f.preview, nil
}

var (
	clipOnce sync.Once
	clip     *mediatest.Clip
	clipErr  error
)

func loadClip(t testing.TB) *mediatest.Clip {
	t.Helper()
	clipOnce.Do(func() { clip, clipErr = mediatest.LoadClip() })
	if clipErr != nil {
		t.Fatal(clipErr)
	}
	return clip
}

// livePreroll is how much of the clip a live fake writes at once before it
// paces in real time: three 2 s segments, enough for a player to start at
// once, with program date times that end now.
const livePreroll = 8 * time.Second

// startLive gives st a segmenter fed with the looped clip: livePreroll of
// it at once, then in real time, until the test ends.
func startLive(t testing.TB, st *fakeStream, cfg segment.Config) *segment.Segmenter {
	t.Helper()
	c := loadClip(t)
	cfg.Now = func() time.Time { return time.Now().Add(-livePreroll) }
	sg := segment.New(cfg)
	if err := sg.SetTracks(c.Tracks); err != nil {
		t.Fatal(err)
	}
	frames := c.Loop(livePreroll + 2*time.Minute)
	i := 0
	for ; i < len(frames) && frames[i].DTS < livePreroll; i++ {
		sg.WriteFrame(frames[i])
	}
	st.seg.Store(sg)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		pace(ctx, sg, frames[i:], time.Now(), livePreroll)
	}()
	t.Cleanup(func() { cancel(); <-done })
	return sg
}

// pace writes each frame when its DTS, less offset, has passed since
// start: real-time pacing, as a live input delivers.
func pace(ctx context.Context, sg *segment.Segmenter, frames []*media.Frame, start time.Time, offset time.Duration) {
	timer := time.NewTimer(0)
	defer timer.Stop()
	for _, f := range frames {
		if d := time.Until(start.Add(f.DTS - offset)); d > 0 {
			timer.Reset(d)
			select {
			case <-timer.C:
			case <-ctx.Done():
				return
			}
		}
		sg.WriteFrame(f)
	}
}

// testJPEG is a small valid JPEG for the preview fake.
func testJPEG(t testing.TB) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, image.NewGray(image.Rect(0, 0, 16, 9)), nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
