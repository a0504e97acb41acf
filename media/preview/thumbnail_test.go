package preview

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/jpeg"
	"sync"
	"testing"
	"time"

	"streamhive/media"
)

var t0 = time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)

// sized is an Encode that makes a real 64x36 JPEG whose first byte of
// payload tells the keyframes apart: its DTS in seconds as the grey level.
type sized struct {
	mu sync.Mutex
	n  int
}

func (s *sized) encode(_ media.Track, f *media.Frame) ([]byte, error) {
	s.mu.Lock()
	s.n++
	s.mu.Unlock()
	img := image.NewGray(image.Rect(0, 0, 64, 36))
	for i := range img.Pix {
		img.Pix[i] = uint8(f.DTS / time.Second * 10)
	}
	var b bytes.Buffer
	err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 100})
	return b.Bytes(), err
}

func (s *sized) calls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.n
}

// offerKeyframes offers n video keyframes, 2 s apart in DTS and wall clock.
func offerKeyframes(p *Preview, n int) {
	now := t0
	p.now = func() time.Time { return now }
	for i := range n {
		now = t0.Add(time.Duration(i) * 2 * time.Second)
		p.Offer(tracks, &media.Frame{Track: 1, Keyframe: true, DTS: time.Duration(i) * 2 * time.Second})
	}
}

// picture decodes a thumbnail: its size and grey level.
func picture(t *testing.T, b []byte) (w, h int, grey uint8) {
	t.Helper()
	img, err := jpeg.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not a JPEG: %v", err)
	}
	r, _, _, _ := img.At(0, 0).RGBA()
	return img.Bounds().Dx(), img.Bounds().Dy(), uint8(r >> 8)
}

func TestThumbnailIsTheNearestKeyframeFitted(t *testing.T) {
	enc := &sized{}
	p := New(enc.encode)
	p.KeepThumbnails(true)
	ctx := context.Background()
	if _, err := p.Thumbnail(ctx, t0, Box{}); !errors.Is(err, ErrNoPicture) {
		t.Fatalf("Thumbnail before any keyframe = %v, want ErrNoPicture", err)
	}
	offerKeyframes(p, 5) // at 0, 2, 4, 6, 8 s
	for _, c := range []struct {
		at       time.Duration
		box      Box
		w, h     int
		keyframe int // its DTS in seconds
	}{
		{at: 0, box: Box{}, w: 64, h: 36, keyframe: 0},
		{at: 4900 * time.Millisecond, box: Box{W: 32, H: 32}, w: 32, h: 18, keyframe: 4},
		{at: 5100 * time.Millisecond, box: Box{W: 320, H: 9}, w: 16, h: 9, keyframe: 6},
		{at: time.Hour, box: Box{W: 640, H: 480}, w: 64, h: 36, keyframe: 8}, // never enlarged
	} {
		b, err := p.Thumbnail(ctx, t0.Add(c.at), c.box)
		if err != nil {
			t.Fatal(err)
		}
		w, h, grey := picture(t, b)
		if w != c.w || h != c.h {
			t.Errorf("at %v in %v: %dx%d, want %dx%d", c.at, c.box, w, h, c.w, c.h)
		}
		if want := c.keyframe * 10; int(grey) < want-2 || int(grey) > want+2 {
			t.Errorf("at %v: grey %d, want the keyframe at %d s (%d)", c.at, grey, c.keyframe, want)
		}
	}
}

func TestThumbnailsDecodeOncePerKeyframe(t *testing.T) {
	enc := &sized{}
	p := New(enc.encode)
	p.KeepThumbnails(true)
	offerKeyframes(p, 3)
	ctx := context.Background()
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			box := Box{W: 16 * (1 + i%2), H: 100} // two sizes of one keyframe
			if _, err := p.Thumbnail(ctx, t0.Add(4*time.Second), box); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n := enc.calls(); n != 1 {
		t.Errorf("%d decodes for one keyframe in two sizes, want 1", n)
	}
}

func TestThumbnailsKeepABoundedWindow(t *testing.T) {
	enc := &sized{}
	p := New(enc.encode)
	p.KeepThumbnails(true)
	offerKeyframes(p, keepKeyframes+10)
	if n := len(p.thumbs.ring); n != keepKeyframes {
		t.Fatalf("%d keyframes kept, want %d", n, keepKeyframes)
	}
	// The oldest kept keyframe answers for a time before the window.
	b, err := p.Thumbnail(context.Background(), t0, Box{})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, grey := picture(t, b); grey < 198 || grey > 202 { // DTS 20 s
		t.Errorf("grey %d, want the keyframe at 20 s", grey)
	}
	// Its pictures leave the cache with it.
	offerKeyframes(p, keepKeyframes+11)
	for k := range p.thumbs.cache {
		if k.key.frame.DTS < 22*time.Second {
			t.Errorf("picture of a dropped keyframe (%v) still cached", k.key.frame.DTS)
		}
	}
}

func TestThumbnailWaitIsBoundedByContext(t *testing.T) {
	block := make(chan struct{})
	p := New(func(media.Track, *media.Frame) ([]byte, error) { <-block; return nil, errors.New("late") })
	p.KeepThumbnails(true)
	offerKeyframes(p, 1)
	go func() { _, _ = p.Thumbnail(context.Background(), t0, Box{}) }()
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	// Either the decode turn is held (the wait ends with ctx) or this call
	// took it first and sits in the blocked encode until it is released.
	go func() { <-ctx.Done(); close(block) }()
	if _, err := p.Thumbnail(ctx, t0, Box{}); err == nil {
		t.Fatal("Thumbnail succeeded with a failing encoder")
	}
}

// A stream that serves no thumbnails holds its latest keyframe only: the
// minute of keyframes was some 1.3 MB of every 4 Mbit/s stream.
func TestNoThumbnailsHoldOneKeyframe(t *testing.T) {
	p := New((&sized{}).encode)
	offerKeyframes(p, keepKeyframes+10)
	if n := len(p.thumbs.ring); n != 0 {
		t.Fatalf("%d keyframes kept for thumbnails nobody serves, want 0", n)
	}
	if _, err := p.Thumbnail(context.Background(), t0, Box{}); !errors.Is(err, ErrNoPicture) {
		t.Errorf("Thumbnail while not kept = %v, want ErrNoPicture", err)
	}
}

func TestKeepThumbnailsStartsAtTheLatestKeyframe(t *testing.T) {
	enc := &sized{}
	p := New(enc.encode)
	offerKeyframes(p, 3) // at 0, 2, 4 s: none kept
	p.KeepThumbnails(true)
	b, err := p.Thumbnail(context.Background(), t0, Box{})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, grey := picture(t, b); grey < 38 || grey > 42 {
		t.Errorf("grey %d, want the latest keyframe (4 s) at once", grey)
	}
	p.KeepThumbnails(false)
	if len(p.thumbs.ring) != 0 || len(p.thumbs.cache) != 0 {
		t.Errorf("turned off, still %d keyframes and %d pictures kept", len(p.thumbs.ring), len(p.thumbs.cache))
	}
}
