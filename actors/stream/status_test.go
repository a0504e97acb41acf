package stream

import (
	"reflect"
	"testing"
	"time"

	"streamhive/actors/config"
	"streamhive/media"
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

// recordSink records what reaches the feed.
type recordSink struct{ frames int }

func (r *recordSink) WriteFrame(*media.Frame) { r.frames++ }

func TestGrantRevokes(t *testing.T) {
	feed := &recordSink{}
	g := &grant{feed: feed}
	g.WriteFrame(&media.Frame{})
	g.WriteFrame(&media.Frame{})
	g.revoke()
	g.WriteFrame(&media.Frame{})
	if feed.frames != 2 {
		t.Errorf("feed got %d frames, want 2 (none after revoke)", feed.frames)
	}
	(&grant{}).WriteFrame(&media.Frame{}) // no feed: dropped, no panic
}
