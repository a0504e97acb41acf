package remote_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/valyala/fasthttp"

	"streamhive/actors/config"
	"streamhive/gateway/api"
	"streamhive/gateway/api/apitest"
	"streamhive/gateway/remote"
	"streamhive/media/stats"
)

// serve runs one Control API request on a and returns its status and
// body.
func serve(a *api.API, method, path string) (int, []byte) {
	var rc fasthttp.RequestCtx
	rc.Request.Header.SetMethod(method)
	rc.Request.SetRequestURI(api.Prefix + path)
	a.Serve(&rc)
	return rc.Response.StatusCode(), append([]byte(nil), rc.Response.Body()...)
}

// TestAPIReachesOwner: through the Control API of a node that relays
// ingest, its stats, stop and select reach the owner, and the owner's
// failures come back in the API's error shape: gone → 404, silent → 502.
func TestAPIReachesOwner(t *testing.T) {
	cfg := &config.Server{Streams: []config.Stream{{Name: "ingest"}}}
	for _, tc := range []struct {
		ownerErr   error
		status     int
		code       string
		statsAlive bool
	}{
		{nil, fasthttp.StatusNoContent, "", true},
		{config.ErrNotFound, fasthttp.StatusNotFound, "not_found", false},
		{context.DeadlineExceeded, fasthttp.StatusBadGateway, "bad_gateway", false},
		{errors.New("connection reset"), fasthttp.StatusBadGateway, "bad_gateway", false},
	} {
		r := &fakeRemote{err: tc.ownerErr, st: stats.Stream{Alive: true}}
		ctl := apitest.New(cfg)
		loc := remote.NewLocator(ctl, ctl.Config, remote.Cluster{View: threeNodes(), Remote: r})
		a := api.New(api.Options{Control: remote.Control{Control: ctl, Loc: loc}})

		status, body := serve(a, fasthttp.MethodPost, "streams/ingest/stop")
		if status != tc.status {
			t.Errorf("owner error %v: stop = %d %s, want %d", tc.ownerErr, status, body, tc.status)
		}
		if tc.code != "" {
			var e struct {
				Errors []struct{ Code string } `json:"errors"`
			}
			if err := json.Unmarshal(body, &e); err != nil || len(e.Errors) != 1 || e.Errors[0].Code != tc.code {
				t.Errorf("owner error %v: body %s, want code %s", tc.ownerErr, body, tc.code)
			}
		}
		status, body = serve(a, fasthttp.MethodPost, "streams/ingest/inputs/0/select")
		if status != tc.status {
			t.Errorf("owner error %v: select = %d %s, want %d", tc.ownerErr, status, body, tc.status)
		}
		var st struct {
			Stats struct{ Alive bool } `json:"stats"`
		}
		if status, body = serve(a, fasthttp.MethodGet, "streams/ingest"); status != fasthttp.StatusOK {
			t.Fatalf("get = %d %s", status, body)
		}
		if err := json.Unmarshal(body, &st); err != nil || st.Stats.Alive != tc.statsAlive {
			t.Errorf("owner error %v: stats %s, want alive %v (the owner's)", tc.ownerErr, body, tc.statsAlive)
		}
		if got := ctl.Stopped(); len(got) != 0 {
			t.Errorf("the local actor system was stopped: %v", got)
		}
	}
}
