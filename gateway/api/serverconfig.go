package api

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/valyala/fasthttp"

	"streamhive/actors/config"
)

// configFilename names API-supplied config text in error positions.
const configFilename = "api"

// serverConfigResponse is server_config with its runtime stats.
type serverConfigResponse struct {
	*config.Server
	Stats *serverStats `json:"stats,omitempty"`
}

// GET /config (config_get). Callers with view access only read the
// viewer's snapshot (Serve chose it): no edit_auth, since reading the
// config must not hand out the right to change it, and no other secret.
func (a *API) getConfig(rc *fasthttp.RequestCtx, r *request) {
	a.writeConfig(rc, r.snap)
}

func (a *API) writeConfig(rc *fasthttp.RequestCtx, s *snapshot) {
	writeJSON(rc, fasthttp.StatusOK, serverConfigResponse{Server: s.cfg, Stats: a.serverStats(s)})
}

// PUT /config (config_save): a JSON server_config merged in, or config
// text replacing the whole configuration.
func (a *API) putConfig(rc *fasthttp.RequestCtx, _ *request) {
	c, err := configChange(rc)
	if err != nil {
		writeErr(rc, err)
		return
	}
	if err := a.apply(c); err != nil {
		writeErr(rc, err)
		return
	}
	a.writeConfig(rc, a.current())
}

// POST /config (config_validate): the change applied to a private clone,
// answered with the configuration it would make; nothing is saved.
func (a *API) validateConfig(rc *fasthttp.RequestCtx, r *request) {
	c, err := configChange(rc)
	if err != nil {
		writeErr(rc, err)
		return
	}
	clone := r.snap.cfg.Clone()
	if err := c.Apply(clone); err != nil {
		writeErr(rc, err)
		return
	}
	writeJSON(rc, fasthttp.StatusOK, serverConfigResponse{Server: clone})
}

// configChange reads the body of PUT or POST /config: config text when it
// is sent as text/plain or does not start with `{`, else JSON.
func configChange(rc *fasthttp.RequestCtx) (config.Change, error) {
	body := bytes.TrimSpace(rc.PostBody())
	text := bytes.HasPrefix(rc.Request.Header.ContentType(), []byte("text/plain")) ||
		len(body) == 0 || body[0] != '{'
	if text {
		return config.ReplaceText{Filename: configFilename, Text: bytes.Clone(body)}, nil
	}
	if !json.Valid(body) {
		return nil, fmt.Errorf("%w: the body is not valid JSON", ErrBadRequest)
	}
	return config.PatchServer{Patch: bytes.Clone(body)}, nil
}

// GET /config/stats (config_stats_get).
func (a *API) getConfigStats(rc *fasthttp.RequestCtx, r *request) {
	writeJSON(rc, fasthttp.StatusOK, a.serverStats(r.snap))
}
