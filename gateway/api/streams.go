package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/valyala/fasthttp"

	"streamhive/actors/config"
)

// GET /streams (streams_list).
func (a *API) listStreams(rc *fasthttp.RequestCtx, r *request) {
	a.list(rc, r.snap.streams)
}

// list serves any collection's list operation.
func (a *API) list(rc *fasthttp.RequestCtx, c *collection) {
	start := time.Now()
	q, err := parseListQuery(rc.QueryArgs())
	if err != nil {
		writeErr(rc, err)
		return
	}
	p, err := c.list(q, a.stats)
	if err != nil {
		writeErr(rc, err)
		return
	}
	writeList(rc, c, p, q.sel, start)
}

// GET /streams/{name} (stream_get): one map lookup and the stream's own
// JSON, never the list.
func (a *API) getStream(rc *fasthttp.RequestCtx, r *request) {
	a.get(rc, r.snap.streams, r.name)
}

func (a *API) get(rc *fasthttp.RequestCtx, c *collection, name string) {
	e := c.byName[name]
	if e == nil {
		writeErr(rc, fmt.Errorf("%s %q: %w", c.key, name, config.ErrNotFound))
		return
	}
	x := cand{e: e}
	if c.stats {
		x.stats = liveStats(a.stats, name)
	}
	writeItem(rc, c, &x)
}

// PUT /streams/{name} (stream_save): the body goes to config as it came.
func (a *API) putStream(rc *fasthttp.RequestCtx, r *request) {
	a.put(rc, r, func(s *snapshot) *collection { return s.streams }, func(patch []byte) config.Change {
		return config.PutStream{Name: r.name, Patch: patch}
	})
}

// put applies the change that mk makes of the body, then answers with the
// resulting item.
func (a *API) put(rc *fasthttp.RequestCtx, r *request, coll func(*snapshot) *collection, mk func([]byte) config.Change) {
	body, err := jsonBody(rc)
	if err != nil {
		writeErr(rc, err)
		return
	}
	if err := a.apply(mk(body)); err != nil {
		writeErr(rc, err)
		return
	}
	a.get(rc, coll(a.current()), r.name)
}

// jsonBody returns a copy of the request body, which must be one JSON
// value; an empty body reads as {}. The copy may outlive the request.
func jsonBody(rc *fasthttp.RequestCtx) ([]byte, error) {
	body := bytes.TrimSpace(rc.PostBody())
	if len(body) == 0 {
		return []byte("{}"), nil
	}
	if !json.Valid(body) {
		return nil, fmt.Errorf("%w: the body is not valid JSON", ErrBadRequest)
	}
	return bytes.Clone(body), nil
}

// DELETE /streams/{name} (stream_delete).
func (a *API) deleteStream(rc *fasthttp.RequestCtx, r *request) {
	a.del(rc, config.DeleteStream{Name: r.name})
}

func (a *API) del(rc *fasthttp.RequestCtx, c config.Change) {
	if err := a.apply(c); err != nil {
		writeErr(rc, err)
		return
	}
	rc.SetStatusCode(fasthttp.StatusNoContent)
}

// POST /streams/{name}/stop (stream_stop).
func (a *API) stopStream(rc *fasthttp.RequestCtx, r *request) {
	loc, ok := a.ctl.Locate(r.name)
	if !ok {
		writeErr(rc, fmt.Errorf("stream %q is not running: %w", r.name, config.ErrNotFound))
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), a.timeout)
	defer cancel()
	if err := loc.Stream.Stop(ctx); err != nil {
		writeErr(rc, err)
		return
	}
	rc.SetStatusCode(fasthttp.StatusNoContent)
}
