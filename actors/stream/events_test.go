package stream

import (
	"slices"
	"testing"

	"streamhive/actors/events"
)

func TestStatusEvents(t *testing.T) {
	in := func(url, state string) InputStatus { return InputStatus{URL: url, State: state} }
	st := func(state string, active int, inputs ...InputStatus) *Status {
		return &Status{Name: "cam", State: state, Active: active, Inputs: inputs, SwitchReason: "failover"}
	}
	const a, b, p = "rtmp://u:pw@a/x", "srt://b:9000", "publish://"
	for _, tc := range []struct {
		name       string
		prev, next *Status
		lastFed    int
		want       []string
	}{
		{"first snapshot", nil, st(StateWaiting, -1, in(a, InputWaiting)), -1, nil},
		{
			"starts", st(StateWaiting, -1, in(a, InputWaiting)), st(StateRunning, 0, in(a, InputRunning)), -1,
			[]string{events.SourceReady, events.StreamStarted},
		},
		{
			"fails over", st(StateRunning, 0, in(a, InputRunning), in(b, InputRunning)),
			st(StateRunning, 1, in(a, InputError), in(b, InputRunning)), 0,
			[]string{events.SourceLost, events.SourceSwitched},
		},
		{
			"fails over after a gap", st(StateWaiting, -1, in(a, InputError), in(b, InputWaiting)),
			st(StateRunning, 1, in(a, InputError), in(b, InputRunning)), 0,
			[]string{events.SourceReady, events.SourceSwitched, events.StreamStarted},
		},
		{
			"all lost", st(StateRunning, 1, in(a, InputError), in(b, InputRunning)),
			st(StateError, -1, in(a, InputError), in(b, InputError)), 1,
			[]string{events.SourceLost, events.StreamStopped},
		},
		{
			"publisher comes", st(StateWaiting, -1, in(p, InputWaiting)), st(StateRunning, 0, in(p, InputRunning)), -1,
			[]string{events.SourceReady, events.PublishStarted, events.StreamStarted},
		},
		{
			"publisher leaves", st(StateRunning, 0, in(p, InputRunning)), st(StateWaiting, -1, in(p, InputWaiting)), 0,
			[]string{events.SourceLost, events.PublishStopped, events.StreamStopped},
		},
		{
			"input replaced by a reload", st(StateRunning, 0, in(a, InputRunning)), st(StateRunning, 0, in(b, InputRunning)), 0,
			[]string{events.SourceReady},
		},
		{"nothing changed", st(StateRunning, 0, in(a, InputRunning)), st(StateRunning, 0, in(a, InputRunning)), 0, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, e := range statusEvents(tc.prev, tc.next, tc.lastFed) {
				got = append(got, e.Event)
				if e.Media != "cam" {
					t.Errorf("%s: media %q", e.Event, e.Media)
				}
				if u, _ := e.Get("url"); u == a {
					t.Errorf("%s: the URL's password is in the event", e.Event)
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
	got := stoppedEvents(st(StateRunning, 0, in(p, InputRunning), in(b, InputWaiting)))
	var names []string
	for _, e := range got {
		names = append(names, e.Event)
	}
	if want := []string{events.SourceLost, events.PublishStopped, events.StreamStopped}; !slices.Equal(names, want) {
		t.Errorf("stopped: %v, want %v", names, want)
	}
}
