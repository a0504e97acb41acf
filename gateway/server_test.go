package gateway

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	"streamhive/actors/config"
	"streamhive/gateway/api"
	"streamhive/gateway/api/apitest"
	"streamhive/media/mediatest"
)

// startServer runs a gateway on 127.0.0.1:0 and returns its base URL.
func startServer(t *testing.T, cfg Config) (string, *Server) {
	t.Helper()
	if cfg.Control == nil {
		s, err := config.Parse("t.conf", []byte("stream cam1 { input fake://; }\n"))
		if err != nil {
			t.Fatal(err)
		}
		cfg.Control = apitest.New(s)
	}
	srv := New(cfg)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		if err := <-done; err != nil {
			t.Errorf("serve returned %v", err)
		}
	})
	return "http://" + ln.Addr().String(), srv
}

func get(t *testing.T, url string) (int, http.Header, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, string(body)
}

func TestRoutes(t *testing.T) {
	base, _ := startServer(t, Config{Play: func(rc *fasthttp.RequestCtx) {
		rc.SetContentType("text/plain")
		rc.SetBodyString("play " + string(rc.Path()))
	}})
	for _, prefix := range []string{api.Prefix, api.AliasPrefix} {
		if code, _, body := get(t, base+prefix+"streams/cam1"); code != 200 || !strings.Contains(body, `"name":"cam1"`) {
			t.Errorf("%s: %d %s", prefix, code, body)
		}
	}
	if code, _, body := get(t, base+"/cam1/index.m3u8"); code != 200 || body != "play /cam1/index.m3u8" {
		t.Errorf("play: %d %s", code, body)
	}
	// The API's own 404 is not handed to Play.
	if code, _, body := get(t, base+api.Prefix+"nothing"); code != 404 || !strings.Contains(body, `"errors"`) {
		t.Errorf("api 404: %d %s", code, body)
	}
}

func TestNotFoundWithoutPlay(t *testing.T) {
	base, _ := startServer(t, Config{})
	code, hdr, body := get(t, base+"/cam1/index.m3u8")
	if code != 404 || hdr.Get("Content-Type") != "application/json" ||
		body != `{"errors":[{"status":"404","code":"not_found","title":"no such resource"}]}` {
		t.Errorf("%d %q %s", code, hdr.Get("Content-Type"), body)
	}
}

func TestMetrics(t *testing.T) {
	base, _ := startServer(t, Config{})
	get(t, base+api.Prefix+"streams/cam1")
	get(t, base+api.Prefix+"streams/nope")
	get(t, base+api.AliasPrefix+"streams")
	code, hdr, body := get(t, base+"/metrics")
	if code != 200 || !strings.HasPrefix(hdr.Get("Content-Type"), "text/plain") {
		t.Fatalf("%d %s", code, hdr.Get("Content-Type"))
	}
	for _, want := range []string{
		`streamhive_api_requests_total{route="/streams/{name}",method="GET",status="200"}`,
		`streamhive_api_requests_total{route="/streams/{name}",method="GET",status="404"}`,
		`streamhive_api_requests_total{route="/streams",method="GET",status="200"}`,
		`streamhive_api_request_duration_seconds_bucket{route="/streams/{name}",method="GET",le=`,
		"process_resident_memory_bytes",
		"go_goroutines",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	// The raw path never becomes a label.
	if strings.Contains(body, "cam1") || strings.Contains(body, "nope") {
		t.Errorf("a stream name leaked into the labels")
	}
	resp, err := http.Post(base+"/metrics", "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != 405 || resp.Header.Get("Allow") != "GET, HEAD" {
		t.Errorf("POST /metrics: %d %q", resp.StatusCode, resp.Header.Get("Allow"))
	}
}

func TestPanicRecovery(t *testing.T) {
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&syncWriter{w: &logs}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	base, srv := startServer(t, Config{Logger: log, Play: func(rc *fasthttp.RequestCtx) {
		rc.SetBodyString("half written")
		panic("broken invariant")
	}})
	code, _, body := get(t, base+"/boom")
	if code != 500 || body != `{"errors":[{"status":"500","code":"internal","title":"internal error"}]}` {
		t.Errorf("%d %s", code, body)
	}
	// The server keeps serving.
	if code, _, _ := get(t, base+api.Prefix+"monitoring/liveness"); code != 200 {
		t.Errorf("after a panic: %d", code)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	out := logs.String()
	if !strings.Contains(out, "handler panicked") || !strings.Contains(out, "broken invariant") {
		t.Errorf("panic not logged: %s", out)
	}
	if !strings.Contains(out, "level=DEBUG msg=\"http request\" method=GET path=/boom status=500") {
		t.Errorf("no access log line: %s", out)
	}
}

func TestShutdownStopsServe(t *testing.T) {
	srv := New(Config{Control: apitest.New(nil)})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	// Wait until it answers, then shut down.
	mediatest.WaitFor(t, 5*time.Second, "the server to answer", func() bool {
		resp, err := http.Get("http://" + ln.Addr().String() + api.Prefix + "monitoring/liveness")
		if err == nil {
			_ = resp.Body.Close()
		}
		return err == nil
	})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Errorf("Serve returned %v", err)
	}
	if resp, err := http.Get("http://" + ln.Addr().String() + "/"); err == nil {
		_ = resp.Body.Close()
		t.Errorf("still serving after Shutdown")
	}
}
