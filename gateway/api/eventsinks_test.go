package api

import (
	"strings"
	"testing"

	"streamhive/actors/config"
)

func sinksConfig(t *testing.T) *config.Server {
	cfg := testConfig(t, sessionsConf)
	cfg.EventSinks = []config.EventSink{
		{Name: "hook", URL: "http://user:secret@mw/events", Only: []config.EventFilter{{"event": {"stream_started", "source_*"}}}},
		{Name: "journal", URL: "jsonlog:///var/log/events.json", ResendLimit: 10},
	}
	return cfg
}

// TestEventSinksRead: the list and one sink, in the description's
// shapes (event_sinks_list, event_sink_config).
func TestEventSinksRead(t *testing.T) {
	h := newHarness(t, sinksConfig(t))
	item := schemaProps(t, "event_sink_config")
	r := h.get("event_sinks")
	mustStatus(t, r, 200)
	env := decodeObject(t, r.body)
	envProps := schemaProps(t, "collection_response")
	envProps["event_sinks"] = "array"
	mustMatchSchema(t, "event_sinks_list", env, envProps)
	list, _ := env["event_sinks"].([]any)
	if len(list) != 2 {
		t.Fatalf("list %s", r.body)
	}
	for _, s := range list {
		mustMatchSchema(t, "event_sink_config", s.(map[string]any), item, "name", "url")
	}
	r = h.get("event_sinks/hook")
	mustStatus(t, r, 200)
	if string(r.body) != `{"name":"hook","url":"http://user:secret@mw/events","only":[{"event":["stream_started","source_*"]}]}` {
		t.Errorf("GET hook: %s", r.body)
	}
	mustError(t, h.get("event_sinks/nope"), 404, "not_found")
}

// TestEventSinksWrite: PUT merges or creates, validation refuses a
// target the server cannot deliver to, DELETE removes.
func TestEventSinksWrite(t *testing.T) {
	h := newHarness(t, sinksConfig(t))
	r := h.do("PUT", "event_sinks/journal", `{"except":[{"event":["play_opened"]}],"resend_limit":null}`)
	mustStatus(t, r, 200)
	if string(r.body) != `{"name":"journal","url":"jsonlog:///var/log/events.json","except":[{"event":["play_opened"]}]}` {
		t.Errorf("PUT journal: %s", r.body)
	}
	mustMatchSchema(t, "event_sink_config", decodeObject(t, r.body), schemaProps(t, "event_sink_config"), "name", "url")
	mustStatus(t, h.do("PUT", "event_sinks/new", `{"url":"http://127.0.0.1:9/e"}`), 200)
	mustError(t, h.do("PUT", "event_sinks/bad", `{"url":"ftp://h/e"}`), 400, "invalid_config")
	mustError(t, h.do("PUT", "event_sinks/bad", `{"url":"http://h/e","only":[{}]}`), 400, "invalid_config")
	mustError(t, h.do("PUT", "event_sinks/x", `{"name":"y","url":"http://h/e"}`), 400, "invalid_config")
	mustStatus(t, h.do("DELETE", "event_sinks/hook", ""), 204)
	mustError(t, h.do("DELETE", "event_sinks/hook", ""), 404, "not_found")
	cfg := h.ctl.Config()
	if len(cfg.EventSinks) != 2 || cfg.EventSinks[0].Name != "journal" || cfg.EventSinks[1].Name != "new" {
		t.Errorf("config after the writes: %+v", cfg.EventSinks)
	}
	if !strings.Contains(string(config.Print(cfg)), "event_sink new {") {
		t.Errorf("printed:\n%s", config.Print(cfg))
	}
}

// TestEventSinksViewerSeesNoCredentials: a view-only caller reads the
// sink's URL masked.
func TestEventSinksViewerSeesNoCredentials(t *testing.T) {
	cfg := sinksConfig(t)
	if got := cfg.Redacted().EventSinks[0].URL; strings.Contains(got, "secret") {
		t.Errorf("redacted URL %q", got)
	}
}
