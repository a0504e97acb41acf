package api

import (
	"testing"

	"streamhive/actors/events"
	"streamhive/gateway/api/apitest"
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
	mustError(t, h.get("events?after=x"), 400, "invalid_config")
}
