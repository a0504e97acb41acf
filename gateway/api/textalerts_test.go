package api

import (
	"testing"

	"github.com/valyala/fasthttp"
)

// TestConfigTextAlerts: GET /config lists in stats.text_alerts every line
// of the configuration the server accepts but does not act on, by
// file:line:column.
func TestConfigTextAlerts(t *testing.T) {
	h := newHarness(t, testConfig(t, "http 80;\niptv m { x y; }\nstream a {\n  input fake://;\n  logo /etc/logo.png;\n}\n"))
	r := h.get("config")
	mustStatus(t, r, fasthttp.StatusOK)
	var got struct {
		Stats struct {
			TextAlerts map[string]string `json:"text_alerts"`
		} `json:"stats"`
	}
	r.json(t, &got)
	want := map[string]string{
		"config test.conf:2:1": "iptv is accepted but not active: not built: nothing serves it",
		"config test.conf:5:3": "stream logo is accepted but not active: kept, but not applied",
	}
	if len(got.Stats.TextAlerts) != len(want) {
		t.Fatalf("text_alerts %v, want %v", got.Stats.TextAlerts, want)
	}
	for k, v := range want {
		if got.Stats.TextAlerts[k] != v {
			t.Errorf("text_alerts[%q] = %q, want %q", k, got.Stats.TextAlerts[k], v)
		}
	}
}
