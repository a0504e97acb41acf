package stream

import (
	"context"
	"errors"
	"testing"
	"time"

	"streamhive/media/hls"
	"streamhive/media/segment"
)

// TestPlaybackWindow: a Playback's window view is its segmenter's; a nil
// Playback (no actor running) has no window, and its waits end with ctx.
func TestPlaybackWindow(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	var none *Playback
	if none.Window() != nil {
		t.Error("nil Playback: want no window")
	}
	if _, err := none.Next(ctx, nil); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("nil Playback Next = %v, want ctx's error", err)
	}
	if err := none.Wait(ctx, 0, -1); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("nil Playback Wait = %v, want ctx's error", err)
	}
	if b, err := none.Media(ctx, hls.Ref{Part: -1}); b != nil || err != nil {
		t.Errorf("nil Playback Media = %q, %v", b, err)
	}

	sg := segment.New(segment.Config{})
	p := &Playback{seg: sg}
	if p.Window() != sg.Window() {
		t.Error("Window: want the segmenter's")
	}
	if w, err := p.Next(context.Background(), nil); w != sg.Window() || err != nil {
		t.Errorf("Next(nil) = %p, %v; want the segmenter's window", w, err)
	}
	sg.Close()
	if err := p.Wait(context.Background(), 0, -1); !errors.Is(err, segment.ErrClosed) {
		t.Errorf("Wait after Close = %v, want segment.ErrClosed", err)
	}
}
