package plane

import "streamhive/media/stats"

// Packaging reads the packager's live counters: what its hub consumer lost
// to a full queue and what the segmenter made of the rest. Safe from any
// goroutine; zero before StartPackager.
func (p *Plane) Packaging() stats.Packaging {
	s := p.seg.Stats()
	out := stats.Packaging{Frames: int64(s.Frames), Dropped: int64(s.Dropped), Errors: int64(s.Errors)}
	if c := p.queue.Load(); c != nil {
		out.Overflowed = int64(c.Dropped())
	}
	return out
}
