package play

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
)

const testSession = "0123456789abcdef0123456789abcdef"

func TestParseWHIP(t *testing.T) {
	cases := []struct {
		path string
		get  bool
		want whipRoute
		ok   bool
	}{
		{path: "/cam/whip", want: whipRoute{name: "cam"}, ok: true},
		{path: "/live/cam/whip", want: whipRoute{name: "live/cam"}, ok: true},
		{path: "/cam/whip", get: true, want: whipRoute{name: "cam"}, ok: true},
		{path: "/cam/whip/" + testSession, want: whipRoute{name: "cam", id: testSession}, ok: true},
		{path: "/a/b/whip/" + testSession, want: whipRoute{name: "a/b", id: testSession}, ok: true},
		{path: "/cam/whip/" + testSession, get: true}, // playback of stream "cam/whip"
		{path: "/cam/whip/index.m3u8"},                // no session ID
		{path: "/cam/whip/mpegts"},                    // no session ID
		{path: "/cam/whip/" + strings.ToUpper(testSession)},
		{path: "/whip"},
		{path: "//whip"},
		{path: "/whip/" + testSession},
		{path: "/cam/index.m3u8"},
	}
	for _, c := range cases {
		got, ok := parseWHIP([]byte(c.path), c.get)
		if ok != c.ok || got != c.want {
			t.Errorf("parseWHIP(%q, get %v) = %+v, %v; want %+v, %v", c.path, c.get, got, ok, c.want, c.ok)
		}
	}
}

// fakeWHIP answers offers for stream "cam"; other names map to the
// errors in refuse.
type fakeWHIP struct {
	refuse map[string]error
	mu     sync.Mutex
	ended  []string
	creds  []Credentials // what each offer carried
}

func (f *fakeWHIP) Offer(ctx context.Context, name string, offer []byte, _ net.Addr) ([]byte, string, error) {
	f.mu.Lock()
	f.creds = append(f.creds, CredentialsFrom(ctx))
	f.mu.Unlock()
	if err := f.refuse[name]; err != nil {
		return nil, "", err
	}
	if string(offer) != "v=0 offer" {
		return nil, "", fmt.Errorf("%w: does not parse", ErrBadOffer)
	}
	return []byte("v=0 answer"), testSession, nil
}

func (f *fakeWHIP) End(name, id string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if name != "cam" || id != testSession {
		return ErrNoSession
	}
	f.ended = append(f.ended, id)
	return nil
}

// TestWHIPEndpoint drives POST, DELETE, PATCH and OPTIONS through a real
// server: statuses, headers and the error shape.
func TestWHIPEndpoint(t *testing.T) {
	f := &fakeWHIP{refuse: map[string]error{
		"nope":  fmt.Errorf("x: %w", ErrNoStream),
		"pull":  fmt.Errorf("x: %w", ErrNotPublishable),
		"down":  fmt.Errorf("x: %w", ErrStreamDown),
		"stop":  fmt.Errorf("x: %w", ErrUnavailable),
		"broke": errors.New("something else"),
	}}
	base := serve(t, New(Options{Streams: fakeStreams{}, WHIP: f}))
	do := func(method, path, ctype, body string, hdr ...string) (*http.Response, string) {
		t.Helper()
		req, err := http.NewRequest(method, base+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Set(hdr[i], hdr[i+1])
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = resp.Body.Close() }()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}

	resp, body := do("POST", "/cam/whip", "application/sdp", "v=0 offer")
	if resp.StatusCode != 201 || body != "v=0 answer" || resp.Header.Get("Content-Type") != "application/sdp" ||
		resp.Header.Get("Location") != "/cam/whip/"+testSession || resp.Header.Get("Access-Control-Allow-Origin") != "*" ||
		!strings.Contains(resp.Header.Get("Access-Control-Expose-Headers"), "Location") {
		t.Errorf("POST: %d %q %v", resp.StatusCode, body, resp.Header)
	}

	for _, c := range []struct {
		method, path, ctype, body string
		status                    int
		code                      string
	}{
		{"POST", "/cam/whip", "application/sdp", "garbage", 400, codeBadOffer},
		{"POST", "/cam/whip", "text/plain", "v=0 offer", 415, codeUnsupported},
		{"POST", "/cam/whip", "", "v=0 offer", 415, codeUnsupported},
		{"POST", "/nope/whip", "application/sdp", "v=0 offer", 404, codeNotFound},
		{"POST", "/pull/whip", "application/sdp", "v=0 offer", 403, codeForbidden},
		{"POST", "/down/whip", "application/sdp", "v=0 offer", 409, codeConflict},
		{"POST", "/stop/whip", "application/sdp", "v=0 offer", 503, codeUnavailable},
		{"POST", "/broke/whip", "application/sdp", "v=0 offer", 500, codeInternal},
		{"GET", "/cam/whip", "", "", 405, codeMethod},
		{"PATCH", "/cam/whip/" + testSession, "application/trickle-ice-sdpfrag", "a=candidate", 405, codeMethod},
		{"DELETE", "/cam/whip", "", "", 405, codeMethod},
		{"DELETE", "/other/whip/" + testSession, "", "", 404, codeNotFound},
	} {
		resp, body := do(c.method, c.path, c.ctype, c.body)
		var e struct {
			Errors []struct{ Status, Code, Title string } `json:"errors"`
		}
		if err := json.Unmarshal([]byte(body), &e); err != nil || resp.StatusCode != c.status || len(e.Errors) != 1 || e.Errors[0].Code != c.code {
			t.Errorf("%s %s (%s): %d %s; want %d with code %s", c.method, c.path, c.ctype, resp.StatusCode, body, c.status, c.code)
		}
		if c.status == 405 && resp.Header.Get("Allow") == "" {
			t.Errorf("%s %s: 405 without Allow", c.method, c.path)
		}
	}

	resp, _ = do("OPTIONS", "/cam/whip", "", "", "Origin", "https://example.com",
		"Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "content-type, authorization")
	if resp.StatusCode != 204 || !strings.Contains(resp.Header.Get("Access-Control-Allow-Methods"), "POST") ||
		resp.Header.Get("Access-Control-Allow-Headers") != "content-type, authorization" || resp.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("preflight of the endpoint: %d %v", resp.StatusCode, resp.Header)
	}
	resp, _ = do("OPTIONS", "/cam/whip/"+testSession, "", "")
	if resp.StatusCode != 204 || !strings.Contains(resp.Header.Get("Access-Control-Allow-Methods"), "DELETE") {
		t.Errorf("preflight of a session: %d %v", resp.StatusCode, resp.Header)
	}

	resp, body = do("DELETE", "/cam/whip/"+testSession, "", "")
	if resp.StatusCode != 200 || len(f.ended) != 1 {
		t.Errorf("DELETE: %d %s, %d ended", resp.StatusCode, body, len(f.ended))
	}
	// GET of a session path is playback's: stream "cam/whip" does not exist.
	if resp, body = do("GET", "/cam/whip/"+testSession, "", ""); resp.StatusCode != 404 {
		t.Errorf("GET of a session path: %d %s, want playback's 404", resp.StatusCode, body)
	}
}

// TestWHIPDenied: a publisher the stream's publish policy refuses gets
// 401 with a Bearer challenge when it presented nothing, 403 when it
// presented credentials; the offer's query and Authorization reach WHIP.
func TestWHIPDenied(t *testing.T) {
	f := &fakeWHIP{refuse: map[string]error{"locked": fmt.Errorf("x: %w", ErrDenied)}}
	base := serve(t, New(Options{Streams: fakeStreams{}, WHIP: f, TokenKey: func() string { return "pk" }}))
	post := func(path, authz string) *http.Response {
		t.Helper()
		req, _ := http.NewRequest("POST", base+path, strings.NewReader("v=0 offer"))
		req.Header.Set("Content-Type", "application/sdp")
		if authz != "" {
			req.Header.Set("Authorization", authz)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		return resp
	}
	if r := post("/locked/whip", ""); r.StatusCode != 401 || r.Header.Get("WWW-Authenticate") != "Bearer" {
		t.Errorf("no credentials: %d %q, want 401 with a Bearer challenge", r.StatusCode, r.Header.Get("WWW-Authenticate"))
	}
	if r := post("/locked/whip", "Bearer wrong"); r.StatusCode != 403 {
		t.Errorf("wrong bearer: %d, want 403", r.StatusCode)
	}
	if r := post("/locked/whip?password=wrong", ""); r.StatusCode != 403 {
		t.Errorf("wrong password: %d, want 403", r.StatusCode)
	}
	if r := post("/locked/whip?pk=wrong", ""); r.StatusCode != 403 {
		t.Errorf("wrong token under auth_token's key: %d, want 403", r.StatusCode)
	}
	if r := post("/locked/whip?token=x", ""); r.StatusCode != 401 {
		t.Errorf("a token under another key than auth_token's: %d, want 401", r.StatusCode)
	}
	if r := post("/cam/whip?password=pw", "Bearer tok"); r.StatusCode != 201 {
		t.Errorf("allowed offer: %d", r.StatusCode)
	}
	last := f.creds[len(f.creds)-1]
	if last.Query != "password=pw" || last.Authorization != "Bearer tok" {
		t.Errorf("WHIP saw credentials %+v", last)
	}
}

// TestNoWHIP: without a WHIP side, /NAME/whip is playback's (405 for
// POST, as before).
func TestNoWHIP(t *testing.T) {
	base := serve(t, New(Options{Streams: fakeStreams{}}))
	resp, err := http.Post(base+"/cam/whip", "application/sdp", strings.NewReader("v=0"))
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != 405 {
		t.Errorf("POST without WHIP: %d, want 405", resp.StatusCode)
	}
}
