package api

import (
	"fmt"
	"strconv"
	"time"

	"github.com/valyala/fasthttp"

	"streamhive/actors/config"
)

// The sessions API: GET /sessions (sessions_list), GET and DELETE
// /sessions/{id}, POST /sessions/reauth?name=STREAM. Sessions are not
// configuration: each list request builds a collection from the sessions
// open at that moment and pages it like any other list, by cursor, sorted
// by opened_at then id, filtered by any field (`name` or `stream` for the
// stream, `user_id`, `ip`, `proto`...).

func (a *API) listSessions(rc *fasthttp.RequestCtx, _ *request) {
	start := time.Now()
	q, err := parseListQuery(rc.QueryArgs())
	if err != nil {
		writeErr(rc, err)
		return
	}
	for i := range q.filters {
		if f := &q.filters[i]; len(f.path) == 1 && f.path[0] == "stream" {
			f.path = []string{"name"} // session_details calls the stream "name"
		}
	}
	c := a.sessionsCollection()
	p, err := c.list(q, a.stats)
	if err != nil {
		writeErr(rc, err)
		return
	}
	writeList(rc, c, p, q.sel, start)
}

// sessionsCollection is the open sessions as a list's collection, keyed
// by session id.
func (a *API) sessionsCollection() *collection {
	list := a.ctl.Sessions()
	c := &collection{key: "sessions", defaultSort: []sortKey{{path: []string{"opened_at"}}}}
	c.search = [][]string{{"name"}, {"ip"}, {"user_id"}, {"user_agent"}}
	for i := range list {
		c.add(list[i].ID, sessionOf(&list[i]))
	}
	return c
}

func (a *API) getSession(rc *fasthttp.RequestCtx, r *request) {
	info, ok := a.ctl.Session(r.name)
	if !ok {
		writeErr(rc, fmt.Errorf("session %q: %w", r.name, config.ErrNotFound))
		return
	}
	writeJSON(rc, fasthttp.StatusOK, sessionOf(&info))
}

// DELETE /sessions/{id}: the kick. 204, and the session's key is refused
// from then on (for its authorization duration).
func (a *API) deleteSession(rc *fasthttp.RequestCtx, r *request) {
	if !a.ctl.KickSession(r.name) {
		writeErr(rc, fmt.Errorf("session %q: %w", r.name, config.ErrNotFound))
		return
	}
	rc.SetStatusCode(fasthttp.StatusNoContent)
}

// POST /sessions/reauth?name=STREAM: every open session of the stream asks
// its backend again now. The answer is a collection_response counting
// them; an unknown stream is 404 stream_not_found, as the description has
// it.
func (a *API) reauthSessions(rc *fasthttp.RequestCtx, _ *request) {
	name := string(rc.QueryArgs().Peek("name"))
	if name == "" {
		writeErr(rc, fmt.Errorf("%w: the name of a stream is required", ErrBadRequest))
		return
	}
	n, err := a.ctl.ReauthSessions(name)
	if err != nil {
		WriteError(rc, fasthttp.StatusNotFound, "stream_not_found", "Stream not found: "+strconv.Quote(name))
		return
	}
	writeJSON(rc, fasthttp.StatusOK, struct {
		EstimatedCount int `json:"estimated_count"`
	}{n})
}
