package api

import (
	"github.com/valyala/fasthttp"

	"streamhive/actors/config"
)

// The auth_backends API: GET /auth_backends (auth_backends_list), GET, PUT
// and DELETE /auth_backends/{name}, over the configuration's auth_backend
// blocks, the way /templates serves templates. PUT merges the body into
// the named backend or creates it (the description's "only the passed
// fields will be updated").

func (a *API) listAuthBackends(rc *fasthttp.RequestCtx, r *request) { a.list(rc, r.snap.backends) }

func (a *API) getAuthBackend(rc *fasthttp.RequestCtx, r *request) {
	a.get(rc, r.snap.backends, r.name)
}

func (a *API) putAuthBackend(rc *fasthttp.RequestCtx, r *request) {
	a.put(rc, r, func(s *snapshot) *collection { return s.backends }, func(patch []byte) config.Change {
		return config.PutAuthBackend{Name: r.name, Patch: patch}
	})
}

func (a *API) deleteAuthBackend(rc *fasthttp.RequestCtx, r *request) {
	a.del(rc, config.DeleteAuthBackend{Name: r.name})
}
