package play

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/valyala/fasthttp"
)

// fakeTSPublish takes publishers of "cam", reading the whole body; other
// names map to the errors in refuse.
type fakeTSPublish struct {
	refuse map[string]error
	mu     sync.Mutex
	got    []string // the bodies read
	creds  []Credentials
}

func (f *fakeTSPublish) Publish(ctx context.Context, name string, body io.ReadCloser, _ net.Addr) error {
	f.mu.Lock()
	f.creds = append(f.creds, CredentialsFrom(ctx))
	f.mu.Unlock()
	if err := f.refuse[name]; err != nil {
		return err
	}
	b, err := io.ReadAll(body)
	f.mu.Lock()
	f.got = append(f.got, string(b))
	f.mu.Unlock()
	return err
}

// serveStreaming serves h as the gateway does: request bodies streamed.
func serveStreaming(t *testing.T, h *Handler, readTimeout ...time.Duration) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &fasthttp.Server{Handler: h.Serve, StreamRequestBody: true, MaxRequestBodySize: 1024}
	if len(readTimeout) > 0 {
		srv.ReadTimeout = readTimeout[0]
	}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { h.Close(); _ = srv.Shutdown() })
	return "http://" + ln.Addr().String()
}

// TestTSPublishEndpoint: POST /NAME/mpegts hands a chunked body far over
// the server's body cap to TSPublish as a stream and answers 204 when it
// ends; refusals get their statuses in the API's error shape, 401 only
// for a publisher that presented no credentials.
func TestTSPublishEndpoint(t *testing.T) {
	f := &fakeTSPublish{refuse: map[string]error{
		"nope":   fmt.Errorf("x: %w", ErrNoStream),
		"pull":   fmt.Errorf("x: %w", ErrNotPublishable),
		"down":   fmt.Errorf("x: %w", ErrStreamDown),
		"locked": fmt.Errorf("x: %w", ErrDenied),
	}}
	base := serveStreaming(t, New(Options{Streams: fakeStreams{}, TSPublish: f}))
	post := func(path string) (int, string) {
		t.Helper()
		pr, pw := io.Pipe()
		go func() {
			for range 64 { // 64 KiB in chunks: over the 1 KiB cap
				_, _ = pw.Write([]byte(strings.Repeat("G", 1024)))
			}
			_ = pw.Close()
		}()
		req, err := http.NewRequest("POST", base+path, pr)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "video/mpeg")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = resp.Body.Close() }()
		var e struct {
			Errors []struct{ Code string } `json:"errors"`
		}
		b, _ := io.ReadAll(resp.Body)
		_ = json.Unmarshal(b, &e)
		code := ""
		if len(e.Errors) == 1 {
			code = e.Errors[0].Code
		}
		return resp.StatusCode, code
	}
	if status, _ := post("/live/cam/mpegts?password=pw"); status != 204 {
		t.Errorf("POST /live/cam/mpegts: %d, want 204", status)
	}
	for _, c := range []struct {
		path   string
		status int
		code   string
	}{
		{"/nope/mpegts", 404, codeNotFound},
		{"/pull/mpegts", 403, codeForbidden},
		{"/down/mpegts", 409, codeConflict},
		{"/locked/mpegts", 401, codeUnauthorized},
		{"/locked/mpegts?password=wrong", 403, codeForbidden},
	} {
		if status, code := post(c.path); status != c.status || code != c.code {
			t.Errorf("POST %s: %d %q, want %d %q", c.path, status, code, c.status, c.code)
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.got) != 1 || len(f.got[0]) != 64*1024 || f.creds[0].Query != "password=pw" {
		t.Errorf("publisher read %d bodies (%d bytes), creds %+v", len(f.got), len(f.got[0]), f.creds)
	}
}

// TestTSPublishWithoutPublisher: a handler with no TSPublish refuses the
// method, as before.
func TestTSPublishWithoutPublisher(t *testing.T) {
	base := serveStreaming(t, New(Options{Streams: fakeStreams{}}))
	resp, err := http.Post(base+"/cam/mpegts", "video/mpeg", strings.NewReader("G"))
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != 405 {
		t.Errorf("POST without a publisher: %d, want 405", resp.StatusCode)
	}
}

// TestTSPublishOutlivesReadTimeout: a publication lasts past the server's
// ReadTimeout (which bounds one request's reading) as long as the
// publisher keeps sending.
func TestTSPublishOutlivesReadTimeout(t *testing.T) {
	f := &fakeTSPublish{}
	base := serveStreaming(t, New(Options{Streams: fakeStreams{}, TSPublish: f}), 300*time.Millisecond)
	pr, pw := io.Pipe()
	go func() {
		for range 12 { // 1.2 s, four times the ReadTimeout
			_, _ = pw.Write([]byte(strings.Repeat("G", 188)))
			time.Sleep(100 * time.Millisecond)
		}
		_ = pw.Close()
	}()
	resp, err := http.Post(base+"/cam/mpegts", "video/mpeg", pr)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	f.mu.Lock()
	defer f.mu.Unlock()
	if resp.StatusCode != 204 || len(f.got) != 1 || len(f.got[0]) != 12*188 {
		t.Errorf("status %d, bodies read %d", resp.StatusCode, len(f.got))
	}
}
