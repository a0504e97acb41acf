package main

import (
	"os"
	"strings"
	"testing"
)

// TestEveryEndpointOverRealServer walks each Control API endpoint
// against the real binary, checking status codes and that writes land in the
// config file.
func TestEveryEndpointOverRealServer(t *testing.T) {
	port := freePort(t)
	cfg := writeConfig(t, t.TempDir(), port, authConfig+"stream a { input publish://; }\n")
	p := start(t, port, "-config", cfg)

	steps := []struct {
		method, path, body string
		want               int
		contains           string
	}{
		{"GET", "/streams", "", 200, `"estimated_count":1`},
		{"GET", "/streams/a", "", 200, `"stats":{`},
		{"POST", "/streams/a/stop", "", 204, ""},
		{"GET", "/streams/a", "", 200, `"name":"a"`},
		{"PUT", "/templates/cams", `{"prefixes":["cam"],"inputs":[{"url":"publish://"}]}`, 200, `"prefixes":["cam"]`},
		{"GET", "/templates", "", 200, `"templates":[{"name":"cams"`},
		{"GET", "/templates/cams", "", 200, `"name":"cams"`},
		{"PUT", "/dvrs/arch", `{"root":"/tmp/arch","expiration":86400}`, 200, `"root":"/tmp/arch"`},
		{"GET", "/dvrs", "", 200, `"name":"arch","root":"/tmp/arch"`},
		{"GET", "/dvrs/arch", "", 200, `"expiration":86400`},
		{"PUT", "/streams/cam1", `{"dvr":{"reference":"arch"}}`, 200, `"reference":"arch"`},
		{"DELETE", "/dvrs/nope", "", 404, `"errors":[{`},
		{"GET", "/config", "", 200, `"streams":[`},
		{"POST", "/config", `{"loglevel":"nonsense"}`, 400, `"errors":[{`},
		{"POST", "/config", `{"loglevel":"debug"}`, 200, ""},
		{"PUT", "/config", `{"cluster_key":"k1"}`, 200, ""},
		{"GET", "/config", "", 200, `"cluster_key":"k1"`},
		{"GET", "/config/stats", "", 200, `"total_streams":`},
		{"DELETE", "/streams/cam1", "", 204, ""},
		{"DELETE", "/templates/cams", "", 204, ""},
		{"GET", "/templates/cams", "", 404, ""},
		{"GET", "/monitoring/liveness", "", 200, ""},
		{"GET", "/monitoring/readiness", "", 200, ""},
	}
	for _, s := range steps {
		code, body := p.do(s.method, "/streamer/api/v3"+s.path, editAuth, s.body)
		if code != s.want || !strings.Contains(body, s.contains) {
			t.Errorf("%s %s: %d %s\nwant %d containing %q", s.method, s.path, code, body, s.want, s.contains)
		}
	}
	file, _ := os.ReadFile(cfg)
	if !strings.Contains(string(file), "cluster_key k1;") || !strings.Contains(string(file), "dvr arch") {
		t.Errorf("API writes not in the config file:\n%s", file)
	}
	if strings.Contains(string(file), "cams") {
		t.Errorf("deleted template still in the file:\n%s", file)
	}

	// PUT /config with config text replaces the whole configuration.
	text := strings.Replace(string(file), "stream a {", "stream b {", 1)
	if code, body := p.do("PUT", "/streamer/api/v3/config", editAuth, text); code != 200 {
		t.Fatalf("PUT /config text: %d %s", code, body)
	}
	if code, _ := p.do("GET", "/streamer/api/v3/streams/a", editAuth, ""); code != 404 {
		t.Errorf("stream a after text replace: %d, want 404", code)
	}
	if code, _ := p.do("GET", "/streamer/api/v3/streams/b", editAuth, ""); code != 200 {
		t.Errorf("stream b after text replace: %d, want 200", code)
	}
	code, body := p.do("PUT", "/streamer/api/v3/config", editAuth, "http 8080;\nstrem x {}\n")
	if code != 400 || !strings.Contains(body, "did you mean") {
		t.Errorf("bad config text: %d %s, want 400 with a suggestion", code, body)
	}
}
