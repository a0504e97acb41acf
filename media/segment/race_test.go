package segment

import (
	"context"
	"sync"
	"testing"
	"time"
)

// Readers walk every byte of every window while the writer goroutine keeps
// appending: under -race this checks that published bytes are never
// written again (parts are views of the buffers the segmenter appends to).
func TestConcurrentReaders(t *testing.T) {
	clip := loadClip(t)
	frames := clip.Loop(12 * time.Second)
	s := New(Config{Now: fixedNow, WindowSegments: 3})
	if err := s.SetTracks(clip.Tracks); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			for ctx.Err() == nil {
				w := s.Window()
				sum := 0
				for _, seg := range append(w.Segments[:len(w.Segments):len(w.Segments)], w.Partial) {
					if seg == nil {
						continue
					}
					for _, b := range append(seg.CMAF, seg.MPEGTS()) {
						for _, x := range b {
							sum += int(x)
						}
					}
					for _, p := range seg.Parts {
						for _, x := range p.MPEGTS() {
							sum += int(x)
						}
					}
				}
				_ = sum
				select {
				case <-w.Changed():
				case <-ctx.Done():
				}
			}
		})
	}
	for _, f := range frames {
		s.WriteFrame(f)
	}
	s.Close()
	cancel()
	wg.Wait()
}
