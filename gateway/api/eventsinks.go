package api

import (
	"github.com/valyala/fasthttp"

	"streamhive/actors/config"
)

// The event_sinks API: GET /event_sinks (event_sinks_list), GET, PUT and
// DELETE /event_sinks/{name}, over the configuration's event_sink blocks,
// the way /auth_backends serves auth backends. A view-only caller reads
// the URLs with their credentials masked.

func (a *API) listEventSinks(rc *fasthttp.RequestCtx, r *request) { a.list(rc, r.snap.sinks) }

func (a *API) getEventSink(rc *fasthttp.RequestCtx, r *request) { a.get(rc, r.snap.sinks, r.name) }

func (a *API) putEventSink(rc *fasthttp.RequestCtx, r *request) {
	a.put(rc, r, func(s *snapshot) *collection { return s.sinks }, func(patch []byte) config.Change {
		return config.PutEventSink{Name: r.name, Patch: patch}
	})
}

func (a *API) deleteEventSink(rc *fasthttp.RequestCtx, r *request) {
	a.del(rc, config.DeleteEventSink{Name: r.name})
}
