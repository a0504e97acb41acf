package api

import (
	"fmt"
	"testing"

	"github.com/valyala/fasthttp"
)

func TestAuthMatrix(t *testing.T) {
	const streams = "stream cam1 { input fake://; }\n"
	configs := map[string]string{
		"open":      streams,
		"both":      "edit_auth admin secret;\nview_auth viewer look;\n" + streams,
		"edit only": "edit_auth admin secret;\n" + streams,
		"view only": "view_auth viewer look;\n" + streams,
	}
	callers := map[string][]string{
		"none":        nil,
		"view basic":  {"Authorization", basic("viewer", "look")},
		"view bearer": {"Authorization", bearer("viewer", "look")},
		"edit basic":  {"Authorization", basic("admin", "secret")},
		"edit bearer": {"Authorization", bearer("admin", "secret")},
		"wrong":       {"Authorization", basic("admin", "guess")},
		"wrong login": {"Authorization", bearer("root", "secret")},
		"garbage":     {"Authorization", "Basic !!!"},
	}
	const ok, w = 200, 204 // read and write success
	// want[config][caller] = {read status, write status}
	want := map[string]map[string][2]int{
		"open": {
			"none": {ok, w}, "view basic": {ok, w}, "view bearer": {ok, w}, "edit basic": {ok, w},
			"edit bearer": {ok, w}, "wrong": {ok, w}, "wrong login": {ok, w}, "garbage": {ok, w},
		},
		"both": {
			"none": {401, 401}, "view basic": {ok, 403}, "view bearer": {ok, 403}, "edit basic": {ok, w},
			"edit bearer": {ok, w}, "wrong": {401, 401}, "wrong login": {401, 401}, "garbage": {401, 401},
		},
		// Credentials that match no configured pair are wrong, not weak:
		// 401, so the client asks again.
		"edit only": {
			"none": {401, 401}, "view basic": {401, 401}, "view bearer": {401, 401}, "edit basic": {ok, w},
			"edit bearer": {ok, w}, "wrong": {401, 401}, "wrong login": {401, 401}, "garbage": {401, 401},
		},
		// With only view_auth nobody may write: the viewer is refused
		// as too weak (403).
		"view only": {
			"none": {401, 401}, "view basic": {ok, 403}, "view bearer": {ok, 403}, "edit basic": {401, 401},
			"edit bearer": {401, 401}, "wrong": {401, 401}, "wrong login": {401, 401}, "garbage": {401, 401},
		},
	}
	for cname, text := range configs {
		h := newHarness(t, testConfig(t, text))
		for caller, hdr := range callers {
			t.Run(fmt.Sprintf("%s/%s", cname, caller), func(t *testing.T) {
				exp := want[cname][caller]
				check := func(r response, status int) {
					t.Helper()
					if status == 401 {
						mustError(t, r, 401, "unauthorized")
						if got := r.header["Www-Authenticate"]; got != `Basic realm="streamhive"` {
							t.Errorf("WWW-Authenticate %q", got)
						}
						return
					}
					if status == 403 {
						mustError(t, r, 403, "forbidden")
						return
					}
					mustStatus(t, r, status)
				}
				check(h.get("streams", hdr...), exp[0])
				check(h.get("streams/cam1", hdr...), exp[0])
				check(h.get("config", hdr...), exp[0])
				check(h.do(fasthttp.MethodPost, "streams/cam1/stop", "", hdr...), exp[1])
				check(h.do(fasthttp.MethodDelete, "templates/none", "", hdr...), map[bool]int{true: 404, false: exp[1]}[exp[1] == w])
				// The probes are open to everyone.
				mustStatus(t, h.get("monitoring/liveness", hdr...), ok)
				mustStatus(t, h.get("monitoring/readiness", hdr...), ok)
			})
		}
	}
}

func TestConfigHidesEditAuthFromViewers(t *testing.T) {
	h := newHarness(t, testConfig(t, "edit_auth admin secret;\nview_auth viewer look;\nstream a { input fake://; }\n"))
	var cfg struct {
		EditAuth *struct{ Password string } `json:"edit_auth"`
		ViewAuth *struct{ Password string } `json:"view_auth"`
	}
	h.get("config", "Authorization", basic("viewer", "look")).json(t, &cfg)
	if cfg.EditAuth != nil || cfg.ViewAuth == nil {
		t.Errorf("viewer sees edit_auth %+v", cfg.EditAuth)
	}
	h.get("config", "Authorization", basic("admin", "secret")).json(t, &cfg)
	if cfg.EditAuth == nil || cfg.EditAuth.Password != "secret" {
		t.Errorf("editor does not see edit_auth")
	}
}

func TestCredentialsParsing(t *testing.T) {
	tests := []struct {
		header      string
		login, pass string
		ok          bool
	}{
		{basic("a", "b"), "a", "b", true},
		{bearer("a", "b:c"), "a", "b:c", true},
		{"basic " + basic("a", "b")[6:], "a", "b", true},
		{"Bearer YTpi", "a", "b", true}, // unpadded
		{"Digest xyz", "", "", false},
		{"Basic", "", "", false},
		{"Basic bm9jb2xvbg==", "", "", false}, // "nocolon"
		{"", "", "", false},
	}
	for _, tt := range tests {
		l, p, ok := credentials([]byte(tt.header))
		if ok != tt.ok || string(l) != tt.login || string(p) != tt.pass {
			t.Errorf("%q: got %q %q %v", tt.header, l, p, ok)
		}
	}
}
