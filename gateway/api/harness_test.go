package api

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net"
	"strings"
	"testing"

	"github.com/valyala/fasthttp"
	"github.com/valyala/fasthttp/fasthttputil"

	"streamhive/actors/config"
	"streamhive/gateway/api/apitest"
)

// harness runs the API on a real fasthttp server over an in-memory
// listener, against a fake Control.
type harness struct {
	t      testing.TB
	ctl    *apitest.Control
	api    *API
	client *fasthttp.HostClient
}

func newHarness(t testing.TB, cfg *config.Server) *harness {
	t.Helper()
	ctl := apitest.New(cfg)
	return startHarness(t, ctl, ctl)
}

// startHarness serves an API over control, which wraps the fake ctl.
func startHarness(t testing.TB, ctl *apitest.Control, control Control) *harness {
	t.Helper()
	a := New(Options{Control: control})
	ln := fasthttputil.NewInmemoryListener()
	srv := &fasthttp.Server{Handler: a.Serve}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	t.Cleanup(func() {
		if err := srv.Shutdown(); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		// Shutdown closes only a listener that Serve has taken: when the
		// test made no request, Serve may not have started yet, and would
		// wait in Accept for good.
		_ = ln.Close()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	client := &fasthttp.HostClient{Addr: "api", Dial: func(string) (net.Conn, error) { return ln.Dial() }}
	return &harness{t: t, ctl: ctl, api: a, client: client}
}

// response is a finished request, copied out of fasthttp's buffers.
type response struct {
	status int
	body   []byte
	header map[string]string
}

func (r response) json(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("body %s: %v", r.body, err)
	}
}

// do sends method path (under the API prefix unless it starts with "/")
// with body and header pairs ("Authorization", "Basic ...").
func (h *harness) do(method, path, body string, header ...string) response {
	h.t.Helper()
	req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
	defer fasthttp.ReleaseRequest(req)
	defer fasthttp.ReleaseResponse(resp)
	if !strings.HasPrefix(path, "/") {
		path = Prefix + path
	}
	req.SetRequestURI("http://api" + path)
	req.Header.SetMethod(method)
	if body != "" {
		req.SetBodyString(body)
		req.Header.SetContentType("application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	if err := h.client.Do(req, resp); err != nil {
		h.t.Fatalf("%s %s: %v", method, path, err)
	}
	r := response{status: resp.StatusCode(), body: append([]byte(nil), resp.Body()...), header: map[string]string{}}
	for k, v := range resp.Header.All() {
		r.header[string(k)] = string(v)
	}
	return r
}

func (h *harness) get(path string, header ...string) response {
	h.t.Helper()
	return h.do(fasthttp.MethodGet, path, "", header...)
}

// mustStatus fails unless r has status want.
func mustStatus(t testing.TB, r response, want int) {
	t.Helper()
	if r.status != want {
		t.Fatalf("status %d, want %d; body %s", r.status, want, r.body)
	}
}

func basic(login, password string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(login+":"+password))
}

func bearer(login, password string) string {
	return "Bearer " + base64.StdEncoding.EncodeToString([]byte(login+":"+password))
}

// testConfig parses config text; it must be valid.
// streamItem is a stream as the API answers it: its config and its stats.
type streamItem struct {
	config.Stream
	Stats *StreamStats `json:"stats"`
}

func testConfig(t testing.TB, text string) *config.Server {
	t.Helper()
	s, err := config.Parse("test.conf", []byte(text))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	if err := s.Validate(); err != nil {
		t.Fatalf("validate: %v", err)
	}
	return s
}

// manyStreams is a config of n streams s0000..; stream i has position
// n-i, so the default order (position, name) reverses the names.
func manyStreams(t testing.TB, n int) *config.Server {
	t.Helper()
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "stream s%04d { input fake://; }\n", i)
	}
	s := testConfig(t, b.String())
	for i := range s.Streams {
		s.Streams[i].Position = n - i
	}
	return s
}

// listBody is the list envelope with streams decoded loosely.
type listBody struct {
	EstimatedCount int              `json:"estimated_count"`
	Next           *string          `json:"next"`
	Prev           *string          `json:"prev"`
	Streams        []map[string]any `json:"streams"`
	Templates      []map[string]any `json:"templates"`
	DVRs           []map[string]any `json:"dvrs"`
	Timing         map[string]any   `json:"timing"`
}

func names(items []map[string]any) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i], _ = it["name"].(string)
	}
	return out
}

// errorBody is error_response.
type errorBody struct {
	Errors []struct {
		Status string `json:"status"`
		Code   string `json:"code"`
		Title  string `json:"title"`
		Source *struct {
			Pointer string `json:"pointer"`
		} `json:"source"`
	} `json:"errors"`
}

// mustError checks status and the error_response shape.
func mustError(t testing.TB, r response, status int, code string) errorBody {
	t.Helper()
	mustStatus(t, r, status)
	var e errorBody
	r.json(t, &e)
	if len(e.Errors) == 0 || e.Errors[0].Status != fmt.Sprint(status) || e.Errors[0].Code != code || e.Errors[0].Title == "" {
		t.Fatalf("error body %s, want status %d code %q", r.body, status, code)
	}
	if ct := r.header["Content-Type"]; ct != "application/json" {
		t.Errorf("Content-Type %q", ct)
	}
	return e
}
