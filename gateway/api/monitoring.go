package api

import "github.com/valyala/fasthttp"

// The probes need no credentials: an orchestrator must be able to call
// them without the admin password.

// GET /monitoring/liveness (liveness_probe): the process answers.
func (a *API) liveness(rc *fasthttp.RequestCtx, _ *request) {
	writeJSON(rc, fasthttp.StatusOK, a.whoami())
}

// GET /monitoring/readiness (readiness_probe): 503 until the server has
// applied its configuration and opened its listeners.
func (a *API) readiness(rc *fasthttp.RequestCtx, _ *request) {
	status := fasthttp.StatusOK
	if !a.ctl.Ready() {
		status = fasthttp.StatusServiceUnavailable
	}
	writeJSON(rc, status, a.whoami())
}
