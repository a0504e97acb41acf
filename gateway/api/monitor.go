package api

import (
	"fmt"
	"time"

	"github.com/valyala/fasthttp"

	"streamhive/actors/config"
	"streamhive/actors/monitor"
)

// Ours, for the web UI (the description has neither):
//
//	GET /alerts: the alerts firing now, oldest first:
//	  {"alerts": [{"rule":"source_lost","media":"cam1","subject":"input 1","value":0,
//	               "message":"input 1 is down: ...","since":"RFC 3339","fired":"RFC 3339"}]}
//	GET /input_history/{name}: stream name's inputs, the last 24 h a minute apiece
//	  (1440 points, oldest first; bitrate null for a minute without a sample):
//	  {"name":"cam1","inputs":[{"input":0,"url":"rtmp://...","points":[{"minute":UNIX,"bitrate":BPS,"errors":N}]}]}

// MonitorSource is what a Control with a monitor implements (gateway/local's,
// through actors/server); the API answers 404 without.
type MonitorSource interface {
	Monitor() *monitor.Monitor
}

func (a *API) monitor() (*monitor.Monitor, error) {
	if src, ok := a.ctl.(MonitorSource); ok && src.Monitor() != nil {
		return src.Monitor(), nil
	}
	return nil, fmt.Errorf("monitor: %w", config.ErrNotFound)
}

func (a *API) listAlerts(rc *fasthttp.RequestCtx, _ *request) {
	m, err := a.monitor()
	if err != nil {
		writeErr(rc, err)
		return
	}
	writeJSON(rc, fasthttp.StatusOK, struct {
		Alerts []monitor.Alert `json:"alerts"`
	}{m.Alerts()})
}

func (a *API) getInputHistory(rc *fasthttp.RequestCtx, r *request) {
	m, err := a.monitor()
	if err != nil {
		writeErr(rc, err)
		return
	}
	hs, ok := m.History(r.name, time.Now())
	if !ok {
		writeErr(rc, fmt.Errorf("stream %q: %w", r.name, config.ErrNotFound))
		return
	}
	writeJSON(rc, fasthttp.StatusOK, struct {
		Name   string                 `json:"name"`
		Inputs []monitor.InputHistory `json:"inputs"`
	}{r.name, hs})
}
