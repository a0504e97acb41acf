package stream

import (
	"fmt"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/actors/config"
	"streamhive/actors/push"
	"streamhive/media"
	"streamhive/media/meter"
)

// Stream states, as the Control API's stream_status names them.
const (
	StateRunning = "running" // an input feeds the stream
	StateWaiting = "waiting" // waiting for an input to deliver
	StateError   = "error"   // every input has failed
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
	// Playback is the stream's playback side for the gateway; nil before
	// the stream actor has started.
	Playback *Playback

	// Switches counts changes of the feeding input from one input to
	// another; SwitchReason says why the active input last changed.
	Switches     int
	SwitchReason string

	Transcoder *transcodeStatus // nil without a transcoder (transcode.go)

	Pushes []*push.Stats // live counters of the pushes, in configuration order (push.go)
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

// Stats converts the snapshot into the Control API's stream_stats at time
// now. It returns a new value that the caller owns.
func (s *Status) Stats(now time.Time) *config.StreamStats {
	st := &config.StreamStats{
		Alive:    s.Active >= 0,
		Status:   s.State,
		Lifetime: now.Sub(s.Started).Milliseconds(),
		OpenedAt: s.Started.UnixMilli(),
		Bitrate:  s.Bitrate,
	}
	if last := s.Meter.LastFrame(); !last.IsZero() {
		ago := max(now.Sub(last).Milliseconds(), 0)
		st.LastDTSAgo = &ago
		st.TSDelay = &ago // the spec's name for the same quantity
		st.LastDTSAt = last.UnixMilli()
	}
	st.MediaInfo = mediaInfo(s.Tracks, s.TrackRates)
	if s.Active >= 0 {
		active := s.Active
		st.ActiveInput = &active
	}
	st.InputSwitches, st.LastSwitchReason = s.Switches, s.SwitchReason
	s.Transcoder.fill(st)
	st.Pushes = s.PushStats()
	if len(s.Inputs) > 0 {
		st.Inputs = make([]config.InputStats, len(s.Inputs))
	}
	for i, in := range s.Inputs {
		var bytes, frames, dropped int64
		if in.Stats != nil {
			bytes = int64(in.Stats.Bytes.Load())
			frames = int64(in.Stats.Frames.Load())
			dropped = int64(in.Stats.Errors.Load())
		}
		st.InputBytes += bytes
		st.Inputs[i] = config.InputStats{
			Active:    i == s.Active,
			Status:    in.State,
			Bytes:     bytes,
			Frames:    frames,
			Bitrate:   in.Bitrate,
			Errors:    in.Failures + dropped, // failures of the input, plus units its puller dropped
			Restarts:  in.Restarts,
			LastError: in.LastError,
			TS:        tsStats(in.Stats),
			SRT:       srtStats(in.Stats),
		}
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

// mediaInfo describes tracks as the Control API's media_info does; nil
// without tracks. Track ids follow Flussonic's: v1, v2... and a1, a2... in
// track order.
func mediaInfo(tracks []media.Track, rates []meter.TrackRate) *config.MediaInfo {
	if len(tracks) == 0 {
		return nil
	}
	info := &config.MediaInfo{Tracks: make([]config.TrackInfo, len(tracks))}
	var videos, audios int
	for i, t := range tracks {
		ti := config.TrackInfo{Content: string(t.Codec.Kind()), Codec: apiCodec(t.Codec)}
		if i < len(rates) {
			ti.Bitrate = rates[i].Bitrate
		}
		if t.Codec.Kind() == media.KindVideo {
			videos++
			ti.TrackID = fmt.Sprintf("v%d", videos)
			ti.Width, ti.Height = t.Width, t.Height
			if i < len(rates) {
				ti.FPS = rates[i].FPS
			}
		} else {
			audios++
			ti.TrackID = fmt.Sprintf("a%d", audios)
			ti.SampleRate, ti.Channels = t.SampleRate, t.Channels
		}
		info.Tracks[i] = ti
	}
	return info
}

// apiCodec names a codec as the Control API's frame_codec does.
func apiCodec(c media.Codec) string {
	if c == media.CodecH265 {
		return "hevc"
	}
	return string(c)
}
