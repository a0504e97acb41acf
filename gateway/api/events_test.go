package api

import (
	"testing"
	"time"

	"streamhive/actors/events"
	"streamhive/actors/monitor"
	"streamhive/gateway/api/apitest"
	"streamhive/media/stats"
)

// withEvents is a Control with an event bus.
type withEvents struct {
	*apitest.Control
	bus *events.Bus
}

func (w withEvents) Events() *events.Bus { return w.bus }

func TestEventsRead(t *testing.T) {
	mustError(t, newHarness(t, testConfig(t, sessionsConf)).get("events"), 404, "not_found")

	ctl := apitest.New(testConfig(t, sessionsConf))
	bus := events.New(events.Options{})
	t.Cleanup(bus.Close)
	h := startHarness(t, ctl, withEvents{ctl, bus})
	for _, name := range []string{events.StreamStarted, events.SourceLost, events.StreamStopped} {
		bus.Publish(events.Event{Event: name, Media: "cam"})
	}
	var got struct {
		Events []struct {
			Event string `json:"event"`
			ID    uint64 `json:"event_id"`
			Media string `json:"media"`
		} `json:"events"`
		Sinks []events.SinkStats `json:"event_sinks"`
	}
	h.get("events?after=1&limit=1").json(t, &got)
	if len(got.Events) != 1 || got.Events[0].ID != 3 || got.Events[0].Event != events.StreamStopped || got.Events[0].Media != "cam" {
		t.Errorf("events %+v", got.Events)
	}
	if got.Sinks == nil {
		t.Error("no event_sinks list")
	}
	bus.Publish(events.Event{Event: events.StreamStarted, Media: "other"})
	h.get("events?media=cam&limit=2").json(t, &got) // the newest two of cam's, other's left out
	if len(got.Events) != 2 || got.Events[0].ID != 2 || got.Events[1].ID != 3 {
		t.Errorf("cam's events %+v", got.Events)
	}
	mustError(t, h.get("events?after=x"), 400, "invalid_config")
}

// withMonitor is a Control with a monitor.
type withMonitor struct {
	*apitest.Control
	m *monitor.Monitor
}

func (w withMonitor) Monitor() *monitor.Monitor { return w.m }

func TestAlertsAndHistoryRead(t *testing.T) {
	plain := newHarness(t, testConfig(t, sessionsConf))
	mustError(t, plain.get("alerts"), 404, "not_found")
	mustError(t, plain.get("input_history/cam"), 404, "not_found")

	ctl := apitest.New(testConfig(t, sessionsConf))
	m := monitor.Start(monitor.Options{Interval: time.Hour, Sample: func() monitor.Sample { return monitor.Sample{} }})
	t.Cleanup(m.Stop)
	now := time.Now()
	cam := stats.Stream{State: "running", Alive: true, Inputs: []stats.Input{{State: "running", Bitrate: 1_000_000}, {State: "error"}}}
	for i := range 3 {
		m.Observe(monitor.Sample{
			Time: now.Add(time.Duration(i-2) * 10 * time.Second), Streams: map[string]stats.Stream{"cam/1": cam},
			URLs: map[string][]string{"cam/1": {"rtmp://a/x", "rtmp://b/x"}},
		})
	}
	h := startHarness(t, ctl, withMonitor{ctl, m})
	var alerts struct {
		Alerts []map[string]any `json:"alerts"`
	}
	h.get("alerts").json(t, &alerts)
	if len(alerts.Alerts) != 1 || alerts.Alerts[0]["rule"] != monitor.RuleSourceLost || alerts.Alerts[0]["media"] != "cam/1" {
		t.Errorf("alerts %+v", alerts)
	}
	var hist struct {
		Name   string                 `json:"name"`
		Inputs []monitor.InputHistory `json:"inputs"`
	}
	h.get("input_history/cam/1").json(t, &hist)
	if hist.Name != "cam/1" || len(hist.Inputs) != 2 || len(hist.Inputs[0].Points) != monitor.Minutes ||
		hist.Inputs[1].URL != "rtmp://b/x" {
		t.Fatalf("history %s %d", hist.Name, len(hist.Inputs))
	}
	if last := hist.Inputs[0].Points[monitor.Minutes-1]; last.Bitrate == nil || *last.Bitrate != 1_000_000 {
		t.Errorf("last minute %+v", last)
	}
	mustError(t, h.get("input_history/nope"), 404, "not_found")
}
