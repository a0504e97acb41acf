package api

import (
	"github.com/valyala/fasthttp"

	"streamhive/actors/config"
)

// Templates and named DVRs: lists, and GET/PUT/DELETE by name, the same
// way as streams but without stats.

func (a *API) listTemplates(rc *fasthttp.RequestCtx, r *request) { a.list(rc, r.snap.templates) }

func (a *API) getTemplate(rc *fasthttp.RequestCtx, r *request) {
	a.get(rc, r.snap.templates, r.name)
}

func (a *API) putTemplate(rc *fasthttp.RequestCtx, r *request) {
	a.put(rc, r, func(s *snapshot) *collection { return s.templates }, func(patch []byte) config.Change {
		return config.PutTemplate{Name: r.name, Patch: patch}
	})
}

func (a *API) deleteTemplate(rc *fasthttp.RequestCtx, r *request) {
	a.del(rc, config.DeleteTemplate{Name: r.name})
}

func (a *API) listDVRs(rc *fasthttp.RequestCtx, r *request) { a.list(rc, r.snap.dvrs) }

func (a *API) getDVR(rc *fasthttp.RequestCtx, r *request) { a.get(rc, r.snap.dvrs, r.name) }

func (a *API) putDVR(rc *fasthttp.RequestCtx, r *request) {
	a.put(rc, r, func(s *snapshot) *collection { return s.dvrs }, func(patch []byte) config.Change {
		return config.PutDVR{Name: r.name, Patch: patch}
	})
}

func (a *API) deleteDVR(rc *fasthttp.RequestCtx, r *request) {
	a.del(rc, config.DeleteDVR{Name: r.name})
}
