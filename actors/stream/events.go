package stream

import (
	"strings"

	"streamhive/actors/config"
	"streamhive/actors/events"
)

// statusEvents are the events between two snapshots of one stream: its
// state into or out of running (stream_started, stream_stopped), each
// input's into or out of running (source_ready, source_lost; a publish://
// input's publish_started, publish_stopped too), and a change of the
// feeding input from lastFed (-1: none yet), the one that fed the stream
// last, to another (source_switched), with or without a gap between.
// prev is nil for the first snapshot of an actor instance. Pure: the
// tests call it.
func statusEvents(prev, next *Status, lastFed int) []events.Event {
	var out []events.Event
	media := string(next.Name)
	ev := func(name string, fields ...events.Field) {
		out = append(out, events.Event{Event: name, Media: media, Fields: fields})
	}
	prevState := StateWaiting
	if prev != nil {
		prevState = prev.State
	}
	for i, in := range next.Inputs {
		was := InputWaiting
		if prev != nil && i < len(prev.Inputs) && prev.Inputs[i].URL == in.URL {
			was = prev.Inputs[i].State
		}
		url := config.RedactURL(in.URL)
		publish := strings.HasPrefix(in.URL, "publish://")
		switch {
		case in.State == InputRunning && was != InputRunning:
			ev(events.SourceReady, events.F("url", url), events.F("input", i))
			if publish {
				ev(events.PublishStarted, events.F("url", url), events.F("input", i))
			}
		case in.State != InputRunning && was == InputRunning:
			ev(events.SourceLost, events.F("url", url), events.F("input", i), events.F("reason", lostReason(in)))
			if publish {
				ev(events.PublishStopped, events.F("url", url), events.F("input", i))
			}
		}
	}
	if lastFed >= 0 && next.Active >= 0 && lastFed != next.Active {
		ev(events.SourceSwitched, events.F("from", lastFed), events.F("to", next.Active),
			events.F("url", config.RedactURL(next.Inputs[next.Active].URL)), events.F("reason", next.SwitchReason))
	}
	switch {
	case next.State == StateRunning && prevState != StateRunning:
		ev(events.StreamStarted)
	case next.State != StateRunning && prevState == StateRunning:
		ev(events.StreamStopped, events.F("reason", next.State))
	}
	return out
}

func lostReason(in InputStatus) string {
	if in.LastError != "" {
		return in.LastError
	}
	return in.State
}

// stoppedEvents are the events of a stream actor that stops while last
// seen as st: its running inputs lost, the stream stopped.
func stoppedEvents(st *Status) []events.Event {
	if st == nil {
		return nil
	}
	down := *st
	down.State, down.Active = StateStopped, -1
	down.Inputs = make([]InputStatus, len(st.Inputs))
	for i, in := range st.Inputs {
		in.State, in.LastError = InputWaiting, "stream stopped"
		down.Inputs[i] = in
	}
	return statusEvents(st, &down, -1)
}
