package api

import (
	"testing"

	"streamhive/actors/config"
)

func backendsConfig(t *testing.T) *config.Server {
	cfg := testConfig(t, sessionsConf)
	cfg.AuthBackends = []config.AuthBackend{
		{Name: "main", AllowTokens: []string{"t1"}, Backends: []config.AuthBackendURL{{URL: "http://mw/auth"}}},
		{Name: "office", AllowIPs: []string{"10.0.0.0/8"}, AllowDefault: true},
	}
	return cfg
}

func TestAuthBackendsRead(t *testing.T) {
	h := newHarness(t, backendsConfig(t))
	item := schemaProps(t, "auth_backend_config")
	r := h.get("auth_backends")
	mustStatus(t, r, 200)
	env := decodeObject(t, r.body)
	envProps := schemaProps(t, "collection_response")
	envProps["auth_backends"] = "array"
	mustMatchSchema(t, "auth_backends_list", env, envProps)
	list, _ := env["auth_backends"].([]any)
	if len(list) != 2 {
		t.Fatalf("list %s", r.body)
	}
	for _, b := range list {
		mustMatchSchema(t, "auth_backend_config", b.(map[string]any), item, "name")
	}
	r = h.get("auth_backends/main")
	mustStatus(t, r, 200)
	if string(r.body) != `{"name":"main","allow_tokens":["t1"],"backends":[{"url":"http://mw/auth"}]}` {
		t.Errorf("GET main: %s", r.body)
	}
	mustError(t, h.get("auth_backends/nope"), 404, "not_found")
	r = h.get("auth_backends?allow_default=true")
	var got struct {
		Backends []map[string]any `json:"auth_backends"`
	}
	r.json(t, &got)
	if len(got.Backends) != 1 || got.Backends[0]["name"] != "office" {
		t.Errorf("filter allow_default: %s", r.body)
	}
}

func TestAuthBackendsWrite(t *testing.T) {
	h := newHarness(t, backendsConfig(t))
	r := h.do("PUT", "auth_backends/main", `{"deny_ips":["192.168.0.0/16"],"allow_tokens":null,"allow_default":true}`)
	mustStatus(t, r, 200)
	if string(r.body) != `{"name":"main","deny_ips":["192.168.0.0/16"],"backends":[{"url":"http://mw/auth"}],"allow_default":true}` {
		t.Errorf("PUT main: %s", r.body)
	}
	mustMatchSchema(t, "auth_backend_config", decodeObject(t, r.body), schemaProps(t, "auth_backend_config"), "name")
	r = h.do("PUT", "auth_backends/new", `{"backends":[{"url":"http://b/auth"}]}`)
	mustStatus(t, r, 200)
	if string(r.body) != `{"name":"new","backends":[{"url":"http://b/auth"}]}` {
		t.Errorf("PUT new: %s", r.body)
	}
	mustError(t, h.do("PUT", "auth_backends/x", `{"name":"y"}`), 400, "invalid_config")
	mustError(t, h.do("PUT", "auth_backends/x", `[1]`), 400, "invalid_config")
	mustError(t, h.do("PUT", "auth_backends/x", `{"nonsense":1}`), 400, "invalid_config")

	mustStatus(t, h.do("DELETE", "auth_backends/office", ""), 204)
	mustError(t, h.do("DELETE", "auth_backends/office", ""), 404, "not_found")
	cfg := h.ctl.Config()
	if len(cfg.AuthBackends) != 2 || cfg.AuthBackends[0].Name != "main" || cfg.AuthBackends[1].Name != "new" ||
		!cfg.AuthBackends[0].AllowDefault || len(cfg.AuthBackends[0].AllowTokens) != 0 {
		t.Errorf("config after the writes: %+v", cfg.AuthBackends)
	}
	if len(cfg.Streams) != 2 {
		t.Errorf("the writes touched the streams: %+v", cfg.Streams)
	}
}
