package preview

import (
	"context"
	"errors"
	"sync"
	"testing"

	"streamhive/media"
)

var tracks = []media.Track{{ID: 0, Codec: media.CodecAAC}, {ID: 1, Codec: media.CodecH264}, {ID: 2, Codec: media.CodecH264}}

// counting is an Encode that counts its calls.
type counting struct {
	mu sync.Mutex
	n  int
}

func (c *counting) encode(_ media.Track, f *media.Frame) ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n++
	return []byte{0xff, 0xd8, byte(f.Track), byte(c.n)}, nil
}

func (c *counting) calls() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}

func TestPreviewCachesOnePicturePerKeyframe(t *testing.T) {
	enc := &counting{}
	p := New(enc.encode)
	ctx := context.Background()
	if _, err := p.Get(ctx); !errors.Is(err, ErrNoPicture) {
		t.Fatalf("Get before any keyframe = %v, want ErrNoPicture", err)
	}
	p.Offer(tracks, &media.Frame{Track: 0, Keyframe: true}) // audio
	p.Offer(tracks, &media.Frame{Track: 2, Keyframe: true}) // not the first video track
	p.Offer(tracks, &media.Frame{Track: 1})                 // not a keyframe
	if _, err := p.Get(ctx); !errors.Is(err, ErrNoPicture) {
		t.Fatalf("Get after no usable keyframe = %v, want ErrNoPicture", err)
	}

	p.Offer(tracks, &media.Frame{Track: 1, Keyframe: true})
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if b, err := p.Get(ctx); err != nil || len(b) != 4 || b[2] != 1 {
				t.Errorf("Get = %v %v, want the picture of track 1", b, err)
			}
		})
	}
	wg.Wait()
	if enc.calls() != 1 {
		t.Errorf("eight requests for one keyframe made %d pictures, want 1", enc.calls())
	}
	p.Offer(tracks, &media.Frame{Track: 1, Keyframe: true})
	if b, _ := p.Get(ctx); enc.calls() != 2 || b[3] != 2 {
		t.Errorf("after the next keyframe: %d pictures, want a new one", enc.calls())
	}

	p.Clear()
	if _, err := p.Get(ctx); !errors.Is(err, ErrNoPicture) {
		t.Errorf("Get after Clear = %v, want ErrNoPicture", err)
	}
}

// TestPreviewWaitIsBounded: a caller waiting for another caller's decode
// gives up when its context ends.
func TestPreviewWaitIsBounded(t *testing.T) {
	release := make(chan struct{})
	started := make(chan struct{})
	p := New(func(media.Track, *media.Frame) ([]byte, error) {
		close(started)
		<-release
		return []byte{1}, nil
	})
	p.Offer(tracks, &media.Frame{Track: 1, Keyframe: true})
	done := make(chan struct{})
	go func() { defer close(done); _, _ = p.Get(context.Background()) }()
	<-started
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := p.Get(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Get while another decodes, with a done context = %v, want context.Canceled", err)
	}
	close(release)
	<-done
}
