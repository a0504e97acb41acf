package stream

import (
	"errors"
	"reflect"
	"sync/atomic"
	"testing"
	"time"

	"streamhive/actors/config"
	"streamhive/actors/push"
	"streamhive/media"
	"streamhive/media/meter"
	"streamhive/media/stats"
	"streamhive/media/stats/statstest"
	"streamhive/media/transcode"
)

func TestStateOf(t *testing.T) {
	in := func(states ...string) []InputStatus {
		out := make([]InputStatus, len(states))
		for i, s := range states {
			out[i].State = s
		}
		return out
	}
	tests := []struct {
		name   string
		active int
		inputs []InputStatus
		want   string
	}{
		{"no inputs waits for a publisher", -1, nil, StateWaiting},
		{"one feeds", 1, in(InputError, InputRunning), StateRunning},
		{"one waiting", -1, in(InputError, InputWaiting), StateWaiting},
		{"all failed", -1, in(InputError, InputError), StateError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := stateOf(tt.active, tt.inputs); got != tt.want {
				t.Errorf("stateOf = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestStatusStats(t *testing.T) {
	started := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	counters := new(media.InputStats)
	counters.Bytes.Store(150)
	counters.Frames.Store(2)
	counters.Errors.Store(3)

	st := &Status{
		Name: "cam1", Started: started, State: StateRunning, Active: 1,
		Inputs: []InputStatus{
			{URL: "fake://", State: InputError, LastError: "input fake:// not supported yet", Failures: 1},
			{URL: "rtmp://a/b", State: InputRunning, Failures: 2, Restarts: 2, Stats: counters},
		},
	}
	want := &stats.Stream{
		Alive: true, State: "running", Started: started, Lifetime: 90 * time.Second, Active: 1,
		Inputs: []stats.Input{
			{State: "error", Failures: 1, LastError: "input fake:// not supported yet"},
			{State: "running", Bytes: 150, Frames: 2, Failures: 2, Dropped: 3, Restarts: 2},
		},
	}
	if got := st.Stats(started.Add(90 * time.Second)); !reflect.DeepEqual(&got, want) {
		t.Errorf("Stats =\n%+v\nwant\n%+v", got, want)
	}

	idle := &Status{Name: "cam2", Started: started, State: StateWaiting, Active: -1}
	if got := idle.Stats(started); got.Alive || got.Inputs != nil || got.State != "waiting" {
		t.Errorf("idle Stats = %+v, want not alive, no inputs", got)
	}
}

func TestTrackStats(t *testing.T) {
	tracks := []media.Track{
		{ID: 0, Codec: media.CodecH265, Width: 1280, Height: 720},
		{ID: 1, Codec: media.CodecAAC, SampleRate: 48000, Channels: 2},
		{ID: 2, Codec: media.CodecH264, Width: 320, Height: 180},
	}
	rates := []meter.TrackRate{{FPS: 25, Bitrate: 900}, {Bitrate: 128}, {FPS: 12.5}}
	want := []stats.Track{
		{Codec: media.CodecH265, Width: 1280, Height: 720, FPS: 25, Bitrate: 900_000},
		{Codec: media.CodecAAC, SampleRate: 48000, Channels: 2, Bitrate: 128_000},
		{Codec: media.CodecH264, Width: 320, Height: 180, FPS: 12.5},
	}
	if got := trackStats(tracks, rates); !reflect.DeepEqual(got, want) {
		t.Errorf("trackStats =\n%+v\nwant\n%+v", got, want)
	}
	if trackStats(nil, nil) != nil {
		t.Errorf("trackStats without tracks is not nil")
	}
}

// fullStatus is a Status with every part filled: inputs with MPEG-TS and
// SRT counters, tracks with their rates, a last frame, switches, a failed
// transcoder and two pushes (the second disabled).
func fullStatus(now time.Time) *Status {
	started := now.Add(-90 * time.Second)
	failed := new(media.InputStats)
	failed.Bytes.Store(100)
	failed.Frames.Store(3)
	failed.Errors.Store(2)
	ts := &failed.TS
	for i, c := range []*atomic.Uint64{
		&ts.Packets, &ts.SyncErrors, &ts.TransportErrors, &ts.CCErrors,
		&ts.LostPackets, &ts.Scrambled, &ts.PATErrors, &ts.PMTErrors, &ts.BrokenPayloads,
	} {
		c.Store(uint64(10 + i))
	}
	live := new(media.InputStats)
	live.Bytes.Store(123356)
	live.Frames.Store(2250)
	srt := &live.SRT
	srt.Connected.Store(true)
	srt.RTTMicros.Store(1500)
	srt.PacketsReceived.Store(900)
	srt.PacketsLost.Store(5)
	srt.PacketsRetransmitted.Store(4)
	srt.PacketsDropped.Store(1)

	m := new(meter.Meter)
	m.Observe(&media.Frame{Track: 0, Data: [][]byte{make([]byte, 10)}}, now.Add(-40*time.Millisecond))

	tc := transcode.NewStats(2)
	tc.SetFallback(errors.New("no NVENC device"))
	tc.SetFailed(errors.New("encoder broke"))
	tc.FramesIn.Store(2250)
	tc.Dropped.Store(3)
	tc.DecodeErrors.Store(1)
	tc.Rendition(0).FramesOut.Store(2249)
	tc.Rendition(0).Keyframes.Store(45)
	tc.Rendition(1).FramesOut.Store(2248)
	spec := config.Transcoder{Video: []config.TranscoderVideo{
		{Bitrate: 2_000_000, Width: 1280, Height: 720}, {Bitrate: 300_000},
	}}

	p := push.NewStats("p1", "rtmp://a/live/cam1")
	p.Opened.Store(started.Add(time.Second).UnixMilli())
	p.Bytes.Store(5000)
	p.Errors.Store(2)
	p.Reconnects.Store(1)
	p.Retries.Store(1)

	return &Status{
		Name: "cam1", Started: started, State: StateRunning, Active: 1,
		Inputs: []InputStatus{
			{URL: "udp://239.0.0.1:1234", State: InputError, LastError: "eof", Failures: 2, Restarts: 1, Stats: failed},
			{URL: "srt://10.0.0.2:9000", State: InputRunning, Bitrate: 1900, Stats: live},
		},
		Tracks: []media.Track{
			{ID: 0, Codec: media.CodecH265, Width: 1280, Height: 720},
			{ID: 1, Codec: media.CodecAAC, SampleRate: 48000, Channels: 2},
		},
		TrackRates: []meter.TrackRate{{FPS: 25, Bitrate: 1700}, {Bitrate: 128}},
		Bitrate:    1850,
		Meter:      m,
		Packaging: func() stats.Packaging {
			return stats.Packaging{Frames: 2240, Overflowed: 4, Dropped: 5, Errors: 1}
		},
		Switches:     2,
		SwitchReason: "input 0 failed",
		Transcoder:   &transcodeStatus{spec: spec, stats: tc},
		Pushes:       []*push.Stats{p, nil},
	}
}

// TestStatusStatsFull reads a full Status. gateway/api's
// TestStreamReportJSON writes the same report as the Control API's JSON;
// both pin what the API showed of this Status before the stats left
// actors/config.
func TestStatusStatsFull(t *testing.T) {
	now := time.UnixMilli(1767323135000)
	want := statstest.Full(now)
	if got := fullStatus(now).Stats(now); !reflect.DeepEqual(&got, want) {
		t.Errorf("Stats =\n%+v\nwant\n%+v", got, want)
	}
}

// TestTranscoderStates: a report carries media/transcode's states as
// they are, under media/stats' names.
func TestTranscoderStates(t *testing.T) {
	if transcode.StateStarting != stats.TranscoderStarting || transcode.StateRunning != stats.TranscoderRunning ||
		transcode.StateError != stats.TranscoderError {
		t.Error("media/transcode's states differ from media/stats' names for them")
	}
}
