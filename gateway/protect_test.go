package gateway

import (
	"net/http"
	"strings"
	"testing"

	"streamhive/actors/config"
	"streamhive/gateway/api"
	"streamhive/gateway/api/apitest"
)

// TestAPIAllowedFromAndMetricsAuth: real requests from 127.0.0.1 against
// api_allowed_from lists and credentials. The Control API and /metrics
// obey both; the probes and playback obey neither.
func TestAPIAllowedFromAndMetricsAuth(t *testing.T) {
	edit := &config.Credentials{Login: "admin", Password: "secret"}
	view := &config.Credentials{Login: "viewer", Password: "look"}
	const none, viewer, editor, wrong = "", "viewer:look", "admin:secret", "admin:guess"
	tests := []struct {
		name       string
		allowed    []string
		auth       bool
		caller     string
		want       int // for /metrics and GET /streams alike
		challenged bool
	}{
		{"open", nil, false, none, 200, false},
		{"loopback subnet", []string{"127.0.0.0/8"}, false, none, 200, false},
		{"loopback address", []string{"10.0.0.0/8", "127.0.0.1"}, false, none, 200, false},
		{"other subnet", []string{"10.0.0.0/8"}, false, none, 403, false},
		{"ipv6 only", []string{"::1/128"}, false, none, 403, false},
		{"unparsable entry denies", []string{"not-a-cidr"}, false, none, 403, false},
		{"auth, no credentials", nil, true, none, 401, true},
		{"auth, wrong credentials", nil, true, wrong, 401, true},
		{"auth, view credentials", nil, true, viewer, 200, false},
		{"auth, edit credentials", nil, true, editor, 200, false},
		{"auth and allowed", []string{"127.0.0.0/8"}, true, viewer, 200, false},
		{"auth and denied address", []string{"192.168.0.0/16"}, true, editor, 403, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := &config.Server{Streams: []config.Stream{{Name: "cam1", MediaOptions: config.MediaOptions{
				Inputs: []config.Input{{URL: "fake://"}},
			}}}}
			cfg.APIAllowedFrom = tt.allowed
			if tt.auth {
				cfg.EditAuth, cfg.ViewAuth = edit, view
			}
			base, _ := startServer(t, Config{Control: apitest.New(cfg)})
			for _, path := range []string{"/metrics", api.Prefix + "streams"} {
				resp := request(t, base+path, tt.caller)
				if resp.StatusCode != tt.want {
					t.Errorf("GET %s: %d, want %d", path, resp.StatusCode, tt.want)
				}
				if got := resp.Header.Get("WWW-Authenticate") != ""; got != tt.challenged {
					t.Errorf("GET %s: WWW-Authenticate %q, want one: %v", path, resp.Header.Get("WWW-Authenticate"), tt.challenged)
				}
			}
			// The probes stay open to every address and caller.
			if resp := request(t, base+api.Prefix+"monitoring/liveness", none); resp.StatusCode != 200 {
				t.Errorf("liveness: %d", resp.StatusCode)
			}
		})
	}
}

// request GETs url as user "login:password" (none when empty).
func request(t *testing.T, url, user string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if user != "" {
		login, password, _ := strings.Cut(user, ":")
		req.SetBasicAuth(login, password)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	return resp
}
