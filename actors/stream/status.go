package stream

import (
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/actors/keys"
	"streamhive/actors/push"
	"streamhive/media"
	"streamhive/media/meter"
	"streamhive/media/stats"
)

// Stream states, as the Control API's stream_status names them.
const (
	StateRunning = "running" // an input feeds the stream
	StateWaiting = "waiting" // waiting for an input to deliver
	StateError   = "error"   // every input has failed
	// StateStopped: an on-demand stream with no viewers, whose actor
	// does not run until one comes (published by the streams supervisor).
	StateStopped = "stopped"
)

// Input states. An input is waiting from its start until it publishes, and
// in error from a failure until its restart (or for good, if its
// supervisor stopped it).
const (
	InputWaiting = "waiting"
	InputRunning = "running"
	InputError   = "error"
)

// Status is an immutable snapshot that the stream actor publishes after
// every change. Readers (the Control API) load it without sending a
// message. Nothing in it may be modified; Counters are live and safe for
// concurrent use.
type Status struct {
	PID     *actor.PID // the stream actor; the same across its restarts
	Name    media.StreamName
	Started time.Time // when this instance of the stream actor started
	State   string    // StateRunning, StateWaiting or StateError
	Active  int       // index into Inputs of the input feeding the stream; -1 when none
	Inputs  []InputStatus

	// Tracks are the active input's tracks; nil when none feeds the
	// stream. TrackRates parallels them: what was measured of each.
	Tracks     []media.Track
	TrackRates []meter.TrackRate
	// Bitrate is what the stream's hub received, in kbit/s, averaged
	// over the last few seconds.
	Bitrate int
	// Meter holds live counters of the frames that left the hub (safe
	// for concurrent use); nil in a status of a stream that never ran.
	Meter *meter.Meter
	// Packaging reads the live counters of the stream's packager (safe
	// for concurrent use); nil in a status of a stream that never ran.
	Packaging func() stats.Packaging
	// Playback is the stream's playback side for the gateway; nil before
	// the stream actor has started.
	Playback *Playback

	// Switches counts changes of the feeding input from one input to
	// another; SwitchReason says why the active input last changed.
	Switches     int
	SwitchReason string

	Transcoder *transcodeStatus // nil without a transcoder (transcode.go)

	Pushes []*push.Stats // live counters of the pushes, in configuration order (push.go)

	Keys *keys.Handle // a protected stream's keys and key server state (keys.go); nil without DRM
}

// InputStatus is one input in a Status, in configuration order.
type InputStatus struct {
	PID       *actor.PID // the input actor; nil once it has stopped for good
	URL       string
	State     string // InputWaiting, InputRunning or InputError
	LastError string
	Failures  int64 // failures since the stream actor started
	Restarts  int64 // restarts its supervisor made
	Bitrate   int   // kbit/s received, averaged over the last few seconds
	// Health is the input's state in the failover policy (idle,
	// connecting, connected, live, failed).
	Health string
	// Stats are the live counters the input's puller fills: safe for
	// concurrent use, shared by every run of the input.
	Stats *media.InputStats
}

// Stats reads the snapshot and its live counters into a plain report at
// time now. The report is a value: the Control API reads the stats of
// every stream it lists, and a value returned up to the caller's frame
// costs no heap allocation.
func (s *Status) Stats(now time.Time) stats.Stream {
	st := stats.Stream{
		Alive:        s.Active >= 0,
		State:        s.State,
		Started:      s.Started,
		Lifetime:     now.Sub(s.Started),
		Bitrate:      bps(s.Bitrate),
		Tracks:       trackStats(s.Tracks, s.TrackRates),
		Active:       s.Active,
		Switches:     s.Switches,
		SwitchReason: s.SwitchReason,
		Transcoder:   s.Transcoder.report(),
		Pushes:       s.PushStats(),
		DRM:          drmStats(s.Keys),
	}
	if last := s.Meter.LastFrame(); !last.IsZero() {
		st.LastFrame, st.LastFrameAgo = last, now.Sub(last)
	}
	if s.Packaging != nil {
		st.Packaging = s.Packaging()
	}
	if len(s.Inputs) > 0 {
		st.Inputs = make([]stats.Input, len(s.Inputs))
	}
	for i, in := range s.Inputs {
		st.Inputs[i] = inputStats(in)
	}
	return st
}

// stateOf derives the stream's state from its inputs: running while one
// feeds it, error when it has inputs and all of them have failed, waiting
// otherwise (a stream without inputs waits for a publisher).
func stateOf(active int, inputs []InputStatus) string {
	if active >= 0 {
		return StateRunning
	}
	if len(inputs) == 0 {
		return StateWaiting
	}
	for _, in := range inputs {
		if in.State != InputError {
			return StateWaiting
		}
	}
	return StateError
}

// trackStats pairs tracks with what was measured of them; nil without
// tracks.
func trackStats(tracks []media.Track, rates []meter.TrackRate) []stats.Track {
	if len(tracks) == 0 {
		return nil
	}
	out := make([]stats.Track, len(tracks))
	for i, t := range tracks {
		ts := stats.Track{Codec: t.Codec}
		if i < len(rates) {
			ts.Bitrate = bps(rates[i].Bitrate)
		}
		if t.Codec.Kind() == media.KindVideo {
			ts.Width, ts.Height = t.Width, t.Height
			if i < len(rates) {
				ts.FPS = rates[i].FPS
			}
		} else {
			ts.SampleRate, ts.Channels = t.SampleRate, t.Channels
		}
		out[i] = ts
	}
	return out
}

// bps is a measured rate in bits per second: the stream measures its
// rates in kbit/s (rates.go).
func bps(kbits int) int { return kbits * 1000 }
