package configowner

import (
	"streamhive/actors/config"
	"streamhive/actors/events"
)

// How a change came: the by field of config_reloaded and config_refused.
const (
	byReload = "reload" // the file, re-read (SIGHUP)
	byAPI    = "api"    // a Control API write
)

// announce makes the event bus deliver to next's event sinks (a sink left
// as it was keeps its queue) and publishes config_reloaded.
func (o *owner) announce(prev, next *config.Server, by string, diff config.StreamDiff) {
	bus := o.cfg.Events
	if bus == nil {
		return
	}
	if !config.EqualEventSinks(prev, next) {
		bus.Configure(next.EventSinks)
	}
	bus.Publish(events.Event{Event: events.ConfigReloaded, Fields: []events.Field{
		events.F("by", by), events.F("added", len(diff.Added)),
		events.F("removed", len(diff.Removed)), events.F("changed", len(diff.Changed)),
	}})
}

// refuse publishes config_refused: a reload or API write that changed
// nothing, and why (secrets scrubbed: the error may quote a URL).
func (o *owner) refuse(by string, err error) {
	o.cfg.Events.Publish(events.Event{Event: events.ConfigRefused, Fields: []events.Field{
		events.F("by", by), events.F("error", err.Error()),
	}})
}
