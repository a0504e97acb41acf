package meter

import (
	"math"
	"slices"
	"time"

	"streamhive/media"
)

// TrackRate is what was measured of one track.
type TrackRate struct {
	FPS     float64 // frames per second of media time; 0 until measured
	Bitrate int     // kbit/s
}

// Rates turns a stream's counters into bitrates and frame rates, from the
// samples its owner takes (the stream actor, once a second). Not safe for
// concurrent use.
type Rates struct {
	hub         rate            // hub bytes over the wall clock
	trackBytes  [MaxTracks]rate // over the wall clock
	trackFrames [MaxTracks]rate // over the track's DTS: the media's own frame rate
	inputs      []rate          // input bytes over the wall clock, by input
}

// Measured is one sampling's result.
type Measured struct {
	Bitrate int // kbit/s of the hub
	Tracks  [MaxTracks]TrackRate
	Inputs  []int // kbit/s, by input; nil when all are 0
}

// Equal reports whether m and o hold the same rates.
func (m Measured) Equal(o Measured) bool {
	return m.Bitrate == o.Bitrate && m.Tracks == o.Tracks && slices.Equal(m.Inputs, o.Inputs)
}

// Sample adds the counters' values at now and returns the rates: hubBytes
// is what the hub received so far, m the counters of what left it, inputs
// each input's counters (nil for an input without any). Without an active
// input the tracks have no rates (a frame rate measured on media time
// would otherwise stay at its last value).
func (r *Rates) Sample(now time.Time, hubBytes uint64, m *Meter, inputs []*media.InputStats, active bool) Measured {
	wall := now.UnixNano()
	var out Measured
	r.hub.add(wall, hubBytes)
	out.Bitrate = kbits(r.hub.perSecond())
	for i := range MaxTracks {
		if !active {
			r.trackBytes[i].reset()
			r.trackFrames[i].reset()
			continue
		}
		t := &m.tracks[i]
		frames := t.frames.Load()
		r.trackBytes[i].add(wall, t.bytes.Load())
		r.trackFrames[i].add(t.lastDTS.Load(), frames)
		out.Tracks[i] = TrackRate{
			FPS:     math.Round(r.trackFrames[i].perSecond()*100) / 100,
			Bitrate: kbits(r.trackBytes[i].perSecond()),
		}
	}
	out.Inputs = r.sampleInputs(wall, inputs)
	return out
}

// sampleInputs adds each input's byte count at wall and returns their
// bitrates; nil while every input is idle.
func (r *Rates) sampleInputs(wall int64, inputs []*media.InputStats) []int {
	if len(r.inputs) != len(inputs) {
		r.inputs = make([]rate, len(inputs))
	}
	var out []int
	for i, in := range inputs {
		if in == nil {
			r.inputs[i].reset()
			continue
		}
		r.inputs[i].add(wall, in.Bytes.Load())
		if kb := kbits(r.inputs[i].perSecond()); kb != 0 {
			if out == nil {
				out = make([]int, len(inputs))
			}
			out[i] = kb
		}
	}
	return out
}

// kbits converts bytes per second to kbit/s, Flussonic's bitrate unit.
func kbits(bytesPerSecond float64) int {
	return int(math.Round(bytesPerSecond * 8 / 1000))
}
