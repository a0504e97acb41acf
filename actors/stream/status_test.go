package stream

import (
	"reflect"
	"testing"
	"time"

	"streamhive/actors/config"
	"streamhive/media"
	"streamhive/media/meter"
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
	active := 1
	want := &config.StreamStats{
		Alive: true, Status: "running", Lifetime: 90_000, OpenedAt: started.UnixMilli(),
		InputBytes: 150, ActiveInput: &active,
		Inputs: []config.InputStats{
			{Status: "error", Errors: 1, LastError: "input fake:// not supported yet"},
			{Active: true, Status: "running", Bytes: 150, Frames: 2, Errors: 5, Restarts: 2},
		},
	}
	if got := st.Stats(started.Add(90 * time.Second)); !reflect.DeepEqual(got, want) {
		t.Errorf("Stats =\n%+v\nwant\n%+v", got, want)
	}

	idle := &Status{Name: "cam2", Started: started, State: StateWaiting, Active: -1}
	if got := idle.Stats(started); got.Alive || got.ActiveInput != nil || got.Inputs != nil || got.Status != "waiting" {
		t.Errorf("idle Stats = %+v, want not alive, no active input, no inputs", got)
	}
}

func TestMediaInfo(t *testing.T) {
	tracks := []media.Track{
		{ID: 0, Codec: media.CodecH265, Width: 1280, Height: 720},
		{ID: 1, Codec: media.CodecAAC, SampleRate: 48000, Channels: 2},
		{ID: 2, Codec: media.CodecH264, Width: 320, Height: 180},
	}
	rates := []meter.TrackRate{{FPS: 25, Bitrate: 900}, {Bitrate: 128}, {FPS: 12.5}}
	want := &config.MediaInfo{Tracks: []config.TrackInfo{
		{TrackID: "v1", Content: "video", Codec: "hevc", Width: 1280, Height: 720, FPS: 25, Bitrate: 900},
		{TrackID: "a1", Content: "audio", Codec: "aac", SampleRate: 48000, Channels: 2, Bitrate: 128},
		{TrackID: "v2", Content: "video", Codec: "h264", Width: 320, Height: 180, FPS: 12.5},
	}}
	if got := mediaInfo(tracks, rates); !reflect.DeepEqual(got, want) {
		t.Errorf("mediaInfo =\n%+v\nwant\n%+v", got, want)
	}
	if mediaInfo(nil, nil) != nil {
		t.Errorf("mediaInfo without tracks is not nil")
	}
}
