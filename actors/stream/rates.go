package stream

import (
	"math"
	"slices"
	"time"
)

// TrackRate is what the stream measured of one track.
type TrackRate struct {
	FPS     float64 // frames per second of media time; 0 until measured
	Bitrate int     // kbit/s
}

// rates turns the stream's counters into bitrates and frame rates. It
// belongs to the stream actor, which samples once a second (its tick).
type rates struct {
	hub         rate                   // hub bytes over the wall clock
	trackBytes  [maxMeteredTracks]rate // over the wall clock
	trackFrames [maxMeteredTracks]rate // over the track's DTS: the media's own frame rate
	inputs      []rate                 // input bytes over the wall clock, by input slot
}

// measured is one sampling's result.
type measured struct {
	bitrate int // kbit/s of the hub
	tracks  [maxMeteredTracks]TrackRate
	inputs  []int // kbit/s, by input slot; nil when all are 0
}

func (m measured) equal(o measured) bool {
	return m.bitrate == o.bitrate && m.tracks == o.tracks && slices.Equal(m.inputs, o.inputs)
}

// sample adds the counters' values at now and returns the rates. Without
// an active input the tracks have no rates (a frame rate measured on media
// time would otherwise stay at its last value).
func (r *rates) sample(now time.Time, hubBytes uint64, m *Meter, inputs []inputSlot, active bool) measured {
	wall := now.UnixNano()
	var out measured
	r.hub.add(wall, hubBytes)
	out.bitrate = kbits(r.hub.perSecond())
	for i := range maxMeteredTracks {
		if !active {
			r.trackBytes[i].reset()
			r.trackFrames[i].reset()
			continue
		}
		t := &m.tracks[i]
		frames := t.frames.Load()
		r.trackBytes[i].add(wall, t.bytes.Load())
		r.trackFrames[i].add(t.lastDTS.Load(), frames)
		out.tracks[i] = TrackRate{
			FPS:     math.Round(r.trackFrames[i].perSecond()*100) / 100,
			Bitrate: kbits(r.trackBytes[i].perSecond()),
		}
	}
	if len(r.inputs) != len(inputs) {
		r.inputs = make([]rate, len(inputs))
	}
	for i, in := range inputs {
		if in.status.Stats == nil {
			r.inputs[i].reset()
			continue
		}
		r.inputs[i].add(wall, in.status.Stats.Bytes.Load())
		if kb := kbits(r.inputs[i].perSecond()); kb != 0 {
			if out.inputs == nil { // nil while every input is idle
				out.inputs = make([]int, len(inputs))
			}
			out.inputs[i] = kb
		}
	}
	return out
}

// kbits converts bytes per second to kbit/s, Flussonic's bitrate unit.
func kbits(bytesPerSecond float64) int {
	return int(math.Round(bytesPerSecond * 8 / 1000))
}
