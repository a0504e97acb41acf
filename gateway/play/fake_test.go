package play

import (
	"bytes"
	"context"
	"image"
	"image/jpeg"
	"sync"
	"testing"
	"time"

	"streamhive/gateway/live"
	"streamhive/media"
	"streamhive/media/hls"
	"streamhive/media/mediatest"
	"streamhive/media/preview"
	"streamhive/media/segment"
	"streamhive/media/stats"
)

// fakeStreams is a Locator over a map, fixed before the server starts.
type fakeStreams map[string]*fakeStream

func (m fakeStreams) Locate(name string) (live.Location, bool) {
	s, ok := m[name]
	if !ok {
		return live.Location{}, false
	}
	return live.Location{Node: live.Local, Stream: s}, true
}

// fakeStream is a Stream backed by a segmenter that a test sets (once,
// any time) and feeds: one lineage, as the contract wants.
type fakeStream struct {
	noControl
	mu       sync.Mutex
	sg       *segment.Segmenter
	ready    chan struct{}   // closed when sg is set; made lazily
	disabled map[string]bool // by protocol name
	preview  []byte          // nil: not producing
	thumbAsk [3]int64        // the last Thumbnail's at (UTC seconds), w, h
	// thumbsOff: its `thumbnails` directive is off (on by default, with
	// no image track); boxes: the image tracks it announces.
	thumbsOff bool
	boxes     []preview.Box
}

var _ live.Stream = (*fakeStream)(nil)

// set gives the stream its segmenter; call it once.
func (f *fakeStream) set(sg *segment.Segmenter) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sg = sg
	if f.ready == nil {
		f.ready = make(chan struct{})
	}
	close(f.ready)
}

// segmenter returns the segmenter, nil before set, and a channel closed
// by set.
func (f *fakeStream) segmenter() (*segment.Segmenter, <-chan struct{}) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.ready == nil {
		f.ready = make(chan struct{})
	}
	return f.sg, f.ready
}

func (f *fakeStream) Window() *segment.Window {
	if sg, _ := f.segmenter(); sg != nil {
		return sg.Window()
	}
	return nil
}

func (f *fakeStream) Next(ctx context.Context, w *segment.Window) (*segment.Window, error) {
	sg, ready := f.segmenter()
	if sg == nil {
		select {
		case <-ready:
			sg, _ = f.segmenter()
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return sg.Next(ctx, w)
}

func (f *fakeStream) Wait(ctx context.Context, msn uint64, part int) error {
	sg, _ := f.segmenter()
	if sg == nil {
		<-ctx.Done()
		return ctx.Err()
	}
	return sg.Wait(ctx, msn, part)
}

func (f *fakeStream) Media(_ context.Context, ref hls.Ref) ([]byte, error) {
	if w := f.Window(); w != nil {
		return ref.In(w), nil
	}
	return nil, nil
}

func (f *fakeStream) Enabled(p string) bool { return !f.disabled[p] }

// ThumbnailBoxes implements live.Thumbnails.
func (f *fakeStream) ThumbnailBoxes() (bool, []preview.Box) {
	if f.thumbsOff {
		return false, nil
	}
	return true, f.boxes
}

// Thumbnail implements live.Thumbnails with the preview picture, noting
// what it was asked.
func (f *fakeStream) Thumbnail(_ context.Context, at time.Time, w, h int) ([]byte, error) {
	f.mu.Lock()
	f.thumbAsk = [3]int64{at.Unix(), int64(w), int64(h)}
	f.mu.Unlock()
	return f.Preview(context.Background())
}

func (f *fakeStream) Preview(context.Context) ([]byte, error) {
	if f.preview == nil {
		return nil, live.ErrNotProducing
	}
	return f.preview, nil
}

// noControl is the status and control of a fake stream: no stats, and
// control that does nothing. The handlers never call them.
type noControl struct{}

func (noControl) Stats() (stats.Stream, bool)            { return stats.Stream{}, false }
func (noControl) SelectInput(context.Context, int) error { return nil }
func (noControl) Stop(context.Context) error             { return nil }

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
	st.set(sg)
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
