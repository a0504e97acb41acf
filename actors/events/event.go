// Package events is the server's event bus and its sinks: Flussonic's
// events (stream_started, source_lost, ...) as plain values, published
// without blocking by the parts that know of them, and delivered to the
// configured event_sink targets (HTTP handlers, a JSON array per POST;
// log files) in order, batched, retried with backoff, each sink's queue
// bounded (what overflows is counted, never waited for).
//
// No actors here: Publish is a call any goroutine (an actor's Receive
// included) may make; it never blocks for I/O.
package events

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// Event names. Flussonic's where it has one (its classic stream and
// source events, the description's play_* and push_* events); ours
// otherwise, in its style.
const (
	StreamStarted  = "stream_started"  // the stream has an input feeding it
	StreamStopped  = "stream_stopped"  // no input feeds it any longer (or its actor stopped)
	SourceReady    = "source_ready"    // an input delivers frames
	SourceLost     = "source_lost"     // an input failed or stopped delivering
	SourceSwitched = "source_switched" // the feeding input changed (failover, return, select)
	PublishStarted = "publish_started" // a publisher took a publish:// input
	PublishStopped = "publish_stopped" // the publisher left
	DVRError       = "dvr_error"       // the DVR writer failed to write a segment
	PlayOpened     = "play_opened"     // a viewer session opened
	PlayClosed     = "play_closed"     // a viewer session closed
	PushFailed     = "push_failed"     // a push session failed
	ConfigReloaded = "config_reloaded" // a new configuration is in effect
	ConfigRefused  = "config_refused"  // a reload or API write was refused
	AlertFired     = "alert_fired"     // an alert rule's condition held for its duration
	AlertCleared   = "alert_cleared"   // a fired alert's condition no longer holds
	DRMKeysFailed  = "drm_keys_failed" // a protected stream's key server stopped answering
	DRMKeysReady   = "drm_keys_ready"  // its keys are had again (or for the first time)
)

// Event is one event: immutable once published. The bus stamps ID and
// Time.
type Event struct {
	Event string    // its name (the constants above)
	ID    uint64    // event_id: the bus's sequence, from 1
	Time  time.Time // utc_ms
	Media string    // the stream it concerns; "" for the server's
	// Fields are the event's other fields, in the order they are written
	// (url, reason, ...). Values are strings, ints, int64s or floats.
	Fields []Field
}

// Field is one named value of an Event.
type Field struct {
	Key   string
	Value any
}

// F is a Field.
func F(key string, value any) Field { return Field{Key: key, Value: value} }

// Get returns the value of field key as text ("" when absent): the
// filters compare it. event and media are fields too.
func (e *Event) Get(key string) (string, bool) {
	switch key {
	case "event":
		return e.Event, true
	case "media":
		return e.Media, e.Media != ""
	}
	for _, f := range e.Fields {
		if f.Key == key {
			return fmt.Sprint(f.Value), true
		}
	}
	return "", false
}

// AppendJSON appends e as one JSON object: event, event_id, utc_ms,
// media, then its fields.
func (e *Event) AppendJSON(b []byte) []byte {
	b = append(b, `{"event":`...)
	b = strconv.AppendQuote(b, e.Event)
	b = append(b, `,"event_id":`...)
	b = strconv.AppendUint(b, e.ID, 10)
	b = append(b, `,"utc_ms":`...)
	b = strconv.AppendInt(b, e.Time.UnixMilli(), 10)
	if e.Media != "" {
		b = append(b, `,"media":`...)
		b = appendJSONValue(b, e.Media)
	}
	for _, f := range e.Fields {
		b = append(b, ',')
		b = appendJSONValue(b, f.Key)
		b = append(b, ':')
		b = appendJSONValue(b, f.Value)
	}
	return append(b, '}')
}

// MarshalJSON writes AppendJSON's object.
func (e Event) MarshalJSON() ([]byte, error) { return e.AppendJSON(nil), nil }

func appendJSONValue(b []byte, v any) []byte {
	j, err := json.Marshal(v)
	if err != nil {
		j, _ = json.Marshal(fmt.Sprint(v))
	}
	return append(b, j...)
}

// AppendBatch appends events as one JSON array, the body of a POST.
func AppendBatch(b []byte, batch []Event) []byte {
	b = append(b, '[')
	for i := range batch {
		if i > 0 {
			b = append(b, ',')
		}
		b = batch[i].AppendJSON(b)
	}
	return append(b, ']')
}
