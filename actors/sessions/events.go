package sessions

import (
	"time"

	"streamhive/actors/events"
)

// play_opened and play_closed, with the description's play session
// fields (the token never: it is a secret).

func (t *Table) announceOpen(s *session) {
	t.o.Events.Publish(events.Event{Event: events.PlayOpened, Media: s.stream, Fields: []events.Field{
		events.F("id", s.id), events.F("proto", s.proto), events.F("ip", s.ip.String()),
		events.F("country", s.country), events.F("user_agent", s.ua),
	}})
}

func (t *Table) announceClose(s *session, why endReason) {
	t.o.Events.Publish(events.Event{Event: events.PlayClosed, Media: s.stream, Fields: []events.Field{
		events.F("id", s.id), events.F("proto", s.proto), events.F("ip", s.ip.String()),
		events.F("reason", endNames[min(why, endKicked)]), events.F("bytes", s.bytes.Load()),
		events.F("duration", time.Since(s.openedAt).Milliseconds()),
	}})
}
