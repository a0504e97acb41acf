package api

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/valyala/fasthttp"

	"streamhive/actors/config"
	"streamhive/actors/events"
)

// GET /events (ours; the description has no such read): the server's last
// events, oldest first, and each event sink's delivery counters, for the
// web UI. ?after=ID returns only newer events (a poller passes the last ID
// it saw), ?media=NAME only stream NAME's (a stream's page reads its own
// among every stream's), ?limit=N the newest N of them (100 by default,
// at most events.DefaultRecent).
//
//	{"events": [{"event":"source_lost","event_id":7,"utc_ms":...,"media":"cam1",...}],
//	 "event_sinks": [{"name":"hook","url":"http://...","queued":0,"queue_limit":10000,
//	                  "delivered":12,"dropped":0,"failures":1,"last_error":"..."}]}

// EventSource is what a Control that has an event bus implements
// (gateway/local's, through actors/server); the API answers 404 without.
type EventSource interface {
	Events() *events.Bus
}

type eventsReply struct {
	Events []events.Event     `json:"events"`
	Sinks  []events.SinkStats `json:"event_sinks"`
}

func (a *API) listEvents(rc *fasthttp.RequestCtx, _ *request) {
	src, ok := a.ctl.(EventSource)
	if !ok || src.Events() == nil {
		writeErr(rc, fmt.Errorf("events: %w", config.ErrNotFound))
		return
	}
	after, err1 := queryInt(rc, "after", 0)
	limit, err2 := queryInt(rc, "limit", 100)
	if err1 != nil || err2 != nil || after < 0 || limit < 0 {
		writeErr(rc, fmt.Errorf("after= and limit= want numbers of 0 or more: %w", config.ErrInvalid))
		return
	}
	bus := src.Events()
	limit = min(limit, events.DefaultRecent)
	list := bus.Recent(uint64(after), events.DefaultRecent)
	if media := rc.QueryArgs().Peek("media"); media != nil {
		list = slices.DeleteFunc(list, func(e events.Event) bool { return e.Media != string(media) })
	}
	writeJSON(rc, fasthttp.StatusOK, eventsReply{Events: list[max(0, len(list)-limit):], Sinks: bus.Sinks()})
}

// queryInt reads query argument key as a number; def when absent.
func queryInt(rc *fasthttp.RequestCtx, key string, def int) (int, error) {
	v := rc.QueryArgs().Peek(key)
	if v == nil {
		return def, nil
	}
	return strconv.Atoi(string(v))
}
