package hub

import (
	"fmt"
	"sync"
	"testing"
)

// BenchmarkFanOut measures one WriteFrame delivered to n consumers that
// drain their queues concurrently.
func BenchmarkFanOut(b *testing.B) {
	for _, n := range []int{1, 64} {
		b.Run(fmt.Sprintf("consumers=%d", n), func(b *testing.B) {
			h := New(Options{})
			h.SetTracks(avTracks)
			w := h.NewWriter()
			var wg sync.WaitGroup
			for range n {
				c := h.Subscribe()
				wg.Go(func() {
					for {
						select {
						case <-c.C():
						case <-c.Done():
							return
						}
					}
				})
			}
			f := frame(0, 0, 1)
			b.ReportAllocs()
			for b.Loop() {
				w.WriteFrame(f)
			}
			b.StopTimer()
			h.Close()
			wg.Wait()
		})
	}
}
