package transcode

import (
	"sync/atomic"
	"time"
)

// Stats are a ladder's live counters: written by the goroutine running
// the ladder, read by anyone (the Control API, /metrics). They outlive
// restarts of the ladder, so counters only grow.
type Stats struct {
	FramesIn     atomic.Uint64 // source video frames read
	DecodeErrors atomic.Uint64 // source frames the decoder rejected
	Dropped      atomic.Uint64 // source frames lost before decoding (the caller adds what its queue dropped)
	AudioIn      atomic.Uint64 // source audio frames read
	AudioOut     atomic.Uint64 // audio frames written
	VideoCopied  atomic.Uint64 // video frames passed through by a ladder without renditions

	busy  atomic.Int64 // nanoseconds spent decoding, filtering and encoding
	media atomic.Int64 // nanoseconds of source video processed

	// Restarts counts failed runs of the ladder (SetFailed).
	Restarts atomic.Uint64

	renditions []RenditionStats
	device     atomic.Pointer[string]
	state      atomic.Pointer[state]
	fallback   atomic.Bool
	outSince   atomic.Uint64 // outTotal when the state was last set
	written    atomic.Uint64 // frames written to the Output
}

// RenditionStats counts one rendition's output.
type RenditionStats struct {
	FramesOut atomic.Uint64
	Keyframes atomic.Uint64
	Bytes     atomic.Uint64
	busy      atomic.Int64 // nanoseconds spent encoding this rendition
}

// NewStats returns zeroed counters for a ladder of n renditions.
func NewStats(n int) *Stats {
	return &Stats{renditions: make([]RenditionStats, n)}
}

// Rendition returns rendition i's counters; nil when out of range.
func (s *Stats) Rendition(i int) *RenditionStats {
	if i < 0 || i >= len(s.renditions) {
		return nil
	}
	return &s.renditions[i]
}

// Renditions is the number of renditions counted.
func (s *Stats) Renditions() int { return len(s.renditions) }

// Device names the encoder in use ("libx264", "h264_nvenc"); empty before
// the first encoder opened.
func (s *Stats) Device() string {
	if p := s.device.Load(); p != nil {
		return *p
	}
	return ""
}

func (s *Stats) setDevice(name string) { s.device.Store(&name) }

// Speed is how many times faster than real time the ladder works: the
// source time it has processed over the time it spent working (waiting
// for input does not count). 0 before anything was processed.
func (s *Stats) Speed() float64 {
	return ratio(s.media.Load(), s.busy.Load())
}

// RenditionSpeed is Speed for the encoding of rendition i alone.
func (s *Stats) RenditionSpeed(i int) float64 {
	r := s.Rendition(i)
	if r == nil {
		return 0
	}
	return ratio(s.media.Load(), r.busy.Load())
}

func ratio(media, busy int64) float64 {
	if busy <= 0 || media <= 0 {
		return 0
	}
	return float64(media) / float64(busy)
}

// advance records that d of source time took busy to process.
func (s *Stats) advance(d, busy time.Duration) {
	if d > 0 && d < time.Second {
		s.media.Add(int64(d))
	}
	s.busy.Add(int64(busy))
}
