package api

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/valyala/fasthttp"

	"streamhive/actors/config"
	"streamhive/media/stats"
)

func TestPutStreamPassesBodyThrough(t *testing.T) {
	h := newHarness(t, testConfig(t, bunnyConf))
	body := `{"inputs":[{"url":"fake://"}],"title":"New"}`
	r := h.do(fasthttp.MethodPut, "streams/live/new", body)
	mustStatus(t, r, fasthttp.StatusOK)
	applied := h.ctl.Applied()
	if len(applied) != 1 {
		t.Fatalf("applied %v", applied)
	}
	put, ok := applied[0].(config.PutStream)
	if !ok || put.Name != "live/new" || string(put.Patch) != body {
		t.Errorf("change %#v", applied[0])
	}
	var st streamItem
	r.json(t, &st)
	if st.Name != "live/new" || st.Title != "New" || st.Stats == nil {
		t.Errorf("answer %s", r.body)
	}
	mustStatus(t, h.get("streams/live/new"), fasthttp.StatusOK)
}

func TestPutStreamMerge(t *testing.T) {
	h := newHarness(t, testConfig(t, `
stream cam1 {
  title "Front door";
  comment "keep me";
  input rtsp://10.0.0.1/main;
  segment_duration 4;
  protocols hls dash;
}
`))
	put := func(body string) config.Stream {
		t.Helper()
		r := h.do(fasthttp.MethodPut, "streams/cam1", body)
		mustStatus(t, r, fasthttp.StatusOK)
		var st config.Stream
		r.json(t, &st)
		// The answer is what a later GET returns.
		if again := h.get("streams/cam1"); string(again.body) != string(r.body) {
			t.Errorf("PUT answered %s, GET %s", r.body, again.body)
		}
		return st
	}

	// A partial body changes only what it names.
	st := put(`{"title":"Porch"}`)
	if st.Title != "Porch" || st.Comment != "keep me" || len(st.Inputs) != 1 || st.SegmentDuration != 4000 {
		t.Errorf("partial merge: %+v", st)
	}
	// null removes a field.
	st = put(`{"comment":null}`)
	if st.Comment != "" || st.Title != "Porch" {
		t.Errorf("null removal: %+v", st)
	}
	// Nested objects merge too: protocols keeps what the body leaves out.
	before := st.Protocols
	st = put(`{"protocols":{"rtmp":false}}`)
	if st.Protocols == nil || st.Protocols.RTMP == nil || *st.Protocols.RTMP {
		t.Errorf("nested merge: %+v", st.Protocols)
	}
	if before != nil && before.HLS != nil && (st.Protocols.HLS == nil || *st.Protocols.HLS != *before.HLS) {
		t.Errorf("nested merge lost hls: %+v", st.Protocols)
	}
	// "$reset": true replaces the stream.
	st = put(`{"$reset":true,"inputs":[{"url":"fake://"}]}`)
	if st.Title != "" || st.SegmentDuration != 0 || len(st.Inputs) != 1 || st.Inputs[0].URL != "fake://" {
		t.Errorf("$reset: %+v", st)
	}
	// Unknown keys are a 400 naming the key, and change nothing.
	n := len(h.ctl.Applied())
	e := mustError(t, h.do(fasthttp.MethodPut, "streams/cam1", `{"titel":"x"}`), fasthttp.StatusBadRequest, "invalid_config")
	if e.Errors[0].Source == nil || !strings.Contains(e.Errors[0].Source.Pointer, "titel") {
		t.Errorf("unknown key error %+v", e)
	}
	if len(h.ctl.Applied()) != n {
		t.Errorf("a rejected PUT was applied")
	}
}

func TestStreamDeleteAndStop(t *testing.T) {
	h := newHarness(t, testConfig(t, bunnyConf))
	mustStatus(t, h.do(fasthttp.MethodPost, "streams/live/bunny/stop", ""), fasthttp.StatusNoContent)
	if got := h.ctl.Stopped(); len(got) != 1 || got[0] != "live/bunny" {
		t.Errorf("stopped %v", got)
	}
	mustError(t, h.do(fasthttp.MethodPost, "streams/nope/stop", ""), fasthttp.StatusNotFound, "not_found")

	mustStatus(t, h.do(fasthttp.MethodDelete, "streams/live/bunny", ""), fasthttp.StatusNoContent)
	mustError(t, h.get("streams/live/bunny"), fasthttp.StatusNotFound, "not_found")
	mustError(t, h.do(fasthttp.MethodDelete, "streams/live/bunny", ""), fasthttp.StatusNotFound, "not_found")
	if _, ok := h.ctl.Applied()[0].(config.DeleteStream); !ok {
		t.Errorf("applied %#v", h.ctl.Applied())
	}
}

func TestTemplatesAndDVRs(t *testing.T) {
	h := newHarness(t, testConfig(t, `
dvr main { root /var/dvr; }
template live { prefix live; input publish://; }
stream cam1 { input fake://; }
`))
	var l listBody
	r := h.get("templates")
	mustStatus(t, r, fasthttp.StatusOK)
	r.json(t, &l)
	if l.EstimatedCount != 1 || len(l.Templates) != 1 || l.Templates[0]["name"] != "live" || l.Next != nil {
		t.Errorf("templates %s", r.body)
	}
	r = h.get("dvrs")
	mustStatus(t, r, fasthttp.StatusOK)
	r.json(t, &l)
	if l.EstimatedCount != 1 || len(l.DVRs) != 1 || l.DVRs[0]["root"] != "/var/dvr" {
		t.Errorf("dvrs %s", r.body)
	}

	r = h.do(fasthttp.MethodPut, "templates/sport", `{"prefixes":["sport"],"inputs":[{"url":"publish://"}]}`)
	mustStatus(t, r, fasthttp.StatusOK)
	var tpl config.Template
	r.json(t, &tpl)
	if tpl.Name != "sport" || len(tpl.Prefixes) != 1 {
		t.Errorf("template %s", r.body)
	}
	mustStatus(t, h.get("templates/sport"), fasthttp.StatusOK)
	mustStatus(t, h.do(fasthttp.MethodDelete, "templates/sport", ""), fasthttp.StatusNoContent)
	mustError(t, h.get("templates/sport"), fasthttp.StatusNotFound, "not_found")

	r = h.do(fasthttp.MethodPut, "dvrs/archive", `{"root":"/mnt/archive","expiration":86400}`)
	mustStatus(t, r, fasthttp.StatusOK)
	var d config.DVR
	r.json(t, &d)
	if d.Name != "archive" || d.Root != "/mnt/archive" || d.Expiration != 86400 {
		t.Errorf("dvr %s", r.body)
	}
	r = h.do(fasthttp.MethodPut, "dvrs/archive", `{"expiration":null}`)
	d = config.DVR{}
	r.json(t, &d)
	if d.Expiration != 0 || d.Root != "/mnt/archive" {
		t.Errorf("dvr after null %s", r.body)
	}
	mustStatus(t, h.do(fasthttp.MethodDelete, "dvrs/archive", ""), fasthttp.StatusNoContent)
	mustError(t, h.get("dvrs/archive"), fasthttp.StatusNotFound, "not_found")
	mustError(t, h.do(fasthttp.MethodDelete, "dvrs/archive", ""), fasthttp.StatusNotFound, "not_found")

	var ls listBody
	h.get("templates?name_like=li*&select=name").json(t, &ls)
	if len(ls.Templates) != 1 || len(ls.Templates[0]) != 1 {
		t.Errorf("template list query %+v", ls.Templates)
	}
}

func TestConfigEndpoints(t *testing.T) {
	cfg := testConfig(t, "http 8080;\nstream cam1 { input fake://; }\n")
	h := newHarness(t, cfg)
	h.ctl.SetStats("cam1", &stats.Stream{Alive: true, Bitrate: 1_500_000, Inputs: []stats.Input{{Bytes: 4096}}})

	var got struct {
		Listeners map[string]any   `json:"listeners"`
		Streams   []map[string]any `json:"streams"`
		Stats     serverStats      `json:"stats"`
	}
	r := h.get("config")
	mustStatus(t, r, fasthttp.StatusOK)
	r.json(t, &got)
	if len(got.Streams) != 1 || got.Listeners == nil || got.Stats.TotalStreams != 1 || got.Stats.OnlineStreams != 1 ||
		got.Stats.StreamerStatus != "running" || got.Stats.ID == "" || got.Stats.Now == 0 {
		t.Errorf("config %s", r.body)
	}

	var st serverStats
	r = h.get("config/stats")
	mustStatus(t, r, fasthttp.StatusOK)
	r.json(t, &st)
	if st.StartedAt != h.ctl.Started().Unix() || st.InputKbit != 1500 || st.InputsBytes != 4096 || st.Uptime < 0 {
		t.Errorf("config/stats %s", r.body)
	}
	var raw map[string]any
	r.json(t, &raw)
	mustMatchSchema(t, "server_stats", raw, schemaProps(t, "server_stats_whoami", "server_stats_streamer",
		"server_stats_network", "resources", "server_stats_events"),
		"cpu_usage", "memory_usage", "total_clients", "total_streams", "online_streams", "input_kbit", "output_kbit",
		"opened_files", "uptime", "started_at")
	if st.CPUUsage < 0 || st.CPUUsage > 100 || st.MemoryUsage <= 0 || st.MemoryUsage > 100 || st.OpenedFiles <= 0 {
		t.Errorf("config/stats resources: cpu %d%% memory %d%% files %d", st.CPUUsage, st.MemoryUsage, st.OpenedFiles)
	}

	// POST validates only.
	before := h.ctl.Config()
	r = h.do(fasthttp.MethodPost, "config", `{"loglevel":"debug"}`)
	mustStatus(t, r, fasthttp.StatusOK)
	if !strings.Contains(string(r.body), `"loglevel":"debug"`) || h.ctl.Config() != before {
		t.Errorf("validate changed the config or answered %s", r.body)
	}
	mustError(t, h.do(fasthttp.MethodPost, "config", `{"loglevel":"loud"}`), fasthttp.StatusBadRequest, "invalid_config")
	r = h.do(fasthttp.MethodPost, "config", "stream x { input fake://; }\nbogus 1;\n", "Content-Type", "text/plain")
	mustError(t, r, fasthttp.StatusBadRequest, "invalid_config")
	if !strings.Contains(string(r.body), `"line":2`) {
		t.Errorf("text error without its line: %s", r.body)
	}
	if h.ctl.Config() != before || len(h.ctl.Applied()) != 0 {
		t.Errorf("POST /config changed something")
	}

	// PUT JSON merges.
	r = h.do(fasthttp.MethodPut, "config", `{"loglevel":"debug"}`)
	mustStatus(t, r, fasthttp.StatusOK)
	if h.ctl.Config().Loglevel != "debug" || len(h.ctl.Config().Streams) != 1 {
		t.Errorf("PUT json: %+v", h.ctl.Config())
	}
	if _, ok := h.ctl.Applied()[0].(config.PatchServer); !ok {
		t.Errorf("applied %#v", h.ctl.Applied()[0])
	}
	// PUT text replaces, by Content-Type or by a body not starting with {.
	mustStatus(t, h.do(fasthttp.MethodPut, "config", "stream a { input fake://; }\n", "Content-Type", "text/plain"), fasthttp.StatusOK)
	mustStatus(t, h.do(fasthttp.MethodPut, "config", "stream b { input fake://; }\nstream c { input fake://; }\n"), fasthttp.StatusOK)
	if s := h.ctl.Config().Streams; len(s) != 2 || s[0].Name != "b" {
		t.Errorf("PUT text: %+v", s)
	}
	if rt, ok := h.ctl.Applied()[2].(config.ReplaceText); !ok || rt.Filename != configFilename {
		t.Errorf("applied %#v", h.ctl.Applied()[2])
	}
	mustError(t, h.do(fasthttp.MethodPut, "config", `{"loglevel":`), fasthttp.StatusBadRequest, "bad_request")
}

func TestMonitoring(t *testing.T) {
	cfg := testConfig(t, "edit_auth admin secret;\nstream a { input fake://; }\n")
	h := newHarness(t, cfg)
	var w whoami
	r := h.get("monitoring/liveness")
	mustStatus(t, r, fasthttp.StatusOK)
	r.json(t, &w)
	if w.Now == 0 || w.StartedAt != h.ctl.Started().Unix() {
		t.Errorf("liveness %s", r.body)
	}
	mustStatus(t, h.get("monitoring/readiness"), fasthttp.StatusOK)
	h.ctl.SetReady(false)
	mustStatus(t, h.get("monitoring/readiness"), fasthttp.StatusServiceUnavailable)
	mustStatus(t, h.get("monitoring/liveness"), fasthttp.StatusOK)
	var st serverStats
	h.get("config/stats", "Authorization", basic("admin", "secret")).json(t, &st)
	if st.StreamerStatus != "starting" {
		t.Errorf("streamer_status %q while not ready", st.StreamerStatus)
	}
}

func TestErrors(t *testing.T) {
	h := newHarness(t, testConfig(t, bunnyConf))
	mustError(t, h.do(fasthttp.MethodPut, "streams/cam1", `{"title":`), fasthttp.StatusBadRequest, "bad_request")
	mustError(t, h.do(fasthttp.MethodPut, "streams/cam1", `[1,2]`), fasthttp.StatusBadRequest, "invalid_config")
	mustError(t, h.get("nothing/here"), fasthttp.StatusNotFound, "not_found")
	mustError(t, h.get("config/other"), fasthttp.StatusNotFound, "not_found")

	r := h.do(fasthttp.MethodPost, "streams/cam1", "")
	mustError(t, r, fasthttp.StatusMethodNotAllowed, "method_not_allowed")
	if r.header["Allow"] != "GET, PUT, DELETE, HEAD" {
		t.Errorf("Allow %q", r.header["Allow"])
	}
	r = h.do(fasthttp.MethodDelete, "streams", "")
	mustError(t, r, fasthttp.StatusMethodNotAllowed, "method_not_allowed")
	if r.header["Allow"] != "GET, HEAD" {
		t.Errorf("Allow %q", r.header["Allow"])
	}
	mustStatus(t, h.do(fasthttp.MethodHead, "streams/cam1", ""), fasthttp.StatusOK)

	for _, tt := range []struct {
		err    error
		status int
		code   string
	}{
		{context.DeadlineExceeded, fasthttp.StatusGatewayTimeout, "timeout"},
		{fmt.Errorf("ask: %w", context.Canceled), fasthttp.StatusServiceUnavailable, "unavailable"},
		{errors.New("boom"), fasthttp.StatusInternalServerError, "internal"},
		{fmt.Errorf("x: %w", config.ErrInvalid), fasthttp.StatusBadRequest, "invalid_config"},
	} {
		h.ctl.Fail(tt.err)
		mustError(t, h.do(fasthttp.MethodPut, "streams/cam1", `{}`), tt.status, tt.code)
		mustError(t, h.do(fasthttp.MethodPost, "streams/cam1/stop", ""), tt.status, tt.code)
	}
}

// TestConcurrentReadsAndWrites races lists and gets against PUTs and
// DELETEs: every answer is well formed, and -race watches the snapshot
// swap and the lazily made JSON.
func TestConcurrentReadsAndWrites(t *testing.T) {
	h := newHarness(t, manyStreams(t, 200))
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := range 30 {
				name := fmt.Sprintf("s%04d", (w*37+i)%200)
				switch i % 3 {
				case 0:
					if r := h.do(fasthttp.MethodPut, "streams/"+name, `{"title":"t"}`); r.status != 200 {
						t.Errorf("PUT %s: %d %s", name, r.status, r.body)
					}
				case 1:
					var l listBody
					r := h.get("streams?limit=50&sort=-name&select=name,title")
					r.json(t, &l)
					if r.status != 200 || len(l.Streams) != 50 {
						t.Errorf("list: %d %s", r.status, r.body)
					}
				default:
					if r := h.get("streams/" + name); r.status != 200 {
						t.Errorf("GET %s: %d", name, r.status)
					}
				}
			}
		})
	}
	wg.Wait()
}
