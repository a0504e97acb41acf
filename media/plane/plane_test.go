package plane

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"

	"streamhive/media"
	"streamhive/media/mediatest"
	"streamhive/media/preview"
)

// fakeJPEG makes a two-byte "picture" of any keyframe.
func fakeJPEG(media.Track, *media.Frame) ([]byte, error) { return []byte{0xff, 0xd8}, nil }

// TestPackagerFeedsTheSegmenter writes ten seconds of the clip to the
// plane's input hub: the packager cuts segments, counts the frames and
// offers the keyframes to the preview; Close ends the segmenter's window.
func TestPackagerFeedsTheSegmenter(t *testing.T) {
	clip, err := mediatest.LoadClip()
	if err != nil {
		t.Fatal(err)
	}
	synctest.Test(t, func(t *testing.T) {
		p := New(Options{SegmentDuration: 2 * time.Second, WindowSegments: 3, Preview: fakeJPEG})
		if p.Input() != p.Hub() {
			t.Fatalf("without a transcoder the inputs must feed the stream's hub")
		}
		if _, err := p.Preview().Get(context.Background()); !errors.Is(err, preview.ErrNoPicture) {
			t.Fatalf("preview before any frame = %v, want ErrNoPicture", err)
		}
		p.StartPackager()
		p.StartPackager() // one packager
		w := p.Input().NewWriter()
		p.Input().SetTracks(clip.Tracks)
		written, beforeKey := 0, -1
		for _, f := range clip.Loop(10 * time.Second) {
			if beforeKey < 0 && f.Keyframe && clip.Tracks[f.Track].Codec.Kind() == media.KindVideo {
				beforeKey = written
			}
			w.WriteFrame(f)
			written++
			synctest.Wait() // the packager takes each frame before the next: none dropped
		}
		// Every frame is accounted for: packaged, or lost before the
		// first video keyframe (nothing is segmented before one).
		if pk := p.Packaging(); pk.Lost() != int64(beforeKey) || pk.Frames != int64(written-beforeKey) {
			t.Errorf("Packaging = %+v for %d frames written one at a time, %d before the first keyframe", pk, written, beforeKey)
		}

		win := p.Segmenter().Window()
		if len(win.Segments) != 3 || win.TargetDuration != 2*time.Second {
			t.Errorf("window has %d segments of target %v, want 3 (WindowSegments) of 2s", len(win.Segments), win.TargetDuration)
		}
		if p.Meter().LastFrame().IsZero() {
			t.Errorf("the meter counted no frame")
		}
		if b, err := p.Preview().Get(context.Background()); err != nil || len(b) != 2 {
			t.Errorf("preview = %v %v, want the keyframe's picture", b, err)
		}
		p.Close()
		if !p.Segmenter().Window().Ended {
			t.Errorf("Close left the segmenter open")
		}
	})
}

// TestCloseWithoutMedia: a plane that never started its packager closes
// its segmenter itself; a transcoded plane's inputs feed a hub of their
// own, which Close closes too.
func TestCloseWithoutMedia(t *testing.T) {
	p := New(Options{Transcoded: true, Preview: fakeJPEG})
	if p.Input() == p.Hub() {
		t.Fatalf("a transcoded plane's inputs feed the stream's hub")
	}
	in := p.Input().Subscribe()
	p.Close()
	if !p.Segmenter().Window().Ended {
		t.Errorf("Close left the segmenter open")
	}
	select {
	case <-in.Done():
	default:
		t.Errorf("Close left the inputs' hub open")
	}
}
