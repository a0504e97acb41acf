package api

import (
	"strings"
	"testing"

	"github.com/valyala/fasthttp"

	"streamhive/media/stats"
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

// TestDRMKeyServerFailureAlerts: a protected stream's key server failure
// is in its stats (drm_error, drm_refusing) and in server_stats'
// text_alerts, saying whether the held key still protects.
func TestDRMKeyServerFailureAlerts(t *testing.T) {
	h := newHarness(t, testConfig(t, "stream a {\n  input fake://;\n}\nstream b {\n  input fake://;\n}\n"))
	h.ctl.SetStats("a", &stats.Stream{DRM: &stats.DRM{Error: "key server http://k/cpix: HTTP 503", Serving: true}})
	h.ctl.SetStats("b", &stats.Stream{DRM: &stats.DRM{Error: "key server http://k/cpix: HTTP 503"}})
	r := h.get("config")
	mustStatus(t, r, fasthttp.StatusOK)
	var got struct {
		Stats struct {
			TextAlerts map[string]string `json:"text_alerts"`
		} `json:"stats"`
	}
	r.json(t, &got)
	if a := got.Stats.TextAlerts["stream a drm"]; !strings.Contains(a, "held key still protects") || !strings.Contains(a, "HTTP 503") {
		t.Errorf("a: %q", a)
	}
	if b := got.Stats.TextAlerts["stream b drm"]; !strings.Contains(b, "outputs refused") {
		t.Errorf("b: %q", b)
	}
	r = h.get("streams/b")
	mustStatus(t, r, fasthttp.StatusOK)
	var s struct {
		Stats struct {
			DRMError    string `json:"drm_error"`
			DRMRefusing bool   `json:"drm_refusing"`
		} `json:"stats"`
	}
	r.json(t, &s)
	if !strings.Contains(s.Stats.DRMError, "HTTP 503") || !s.Stats.DRMRefusing {
		t.Errorf("stream b's stats: %+v", s.Stats)
	}
}
