// Package meter measures what leaves a stream's hub and what its inputs
// receive: Meter holds live per-track counters that the packager updates
// for every frame, and Rates turns those counters (and the inputs'
// media.InputStats) into bitrates and frame rates when sampled.
package meter

import (
	"sync/atomic"
	"time"

	"streamhive/media"
)

// MaxTracks bounds the per-track counters: a stream carries a video and an
// audio track, a few more at most; frames of tracks past it are not
// counted per track.
const MaxTracks = 8

// Meter holds the live counters of what left a stream's hub. One goroutine
// (the packager) calls Observe; readers (status readers, Rates.Sample)
// only load, from any goroutine.
type Meter struct {
	lastFrame atomic.Int64 // wall clock of the last frame, Unix ns; 0 before any
	tracks    [MaxTracks]trackMeter
}

type trackMeter struct {
	frames  atomic.Uint64
	bytes   atomic.Uint64
	lastDTS atomic.Int64 // DTS of the track's last frame, ns
}

// Observe counts f, which arrived at now.
func (m *Meter) Observe(f *media.Frame, now time.Time) {
	m.lastFrame.Store(now.UnixNano())
	if f.Track < 0 || f.Track >= MaxTracks {
		return
	}
	t := &m.tracks[f.Track]
	t.bytes.Add(uint64(f.Size()))
	t.lastDTS.Store(int64(f.DTS))
	t.frames.Add(1) // last: a reader that sees the frame sees its DTS
}

// LastFrame returns when the last frame left the hub; the zero time before
// the first, and for a nil Meter.
func (m *Meter) LastFrame() time.Time {
	if m == nil {
		return time.Time{}
	}
	ns := m.lastFrame.Load()
	if ns == 0 {
		return time.Time{}
	}
	return time.Unix(0, ns)
}
