package gateway

import (
	"bufio"
	"encoding/json"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"streamhive/media/mediatest"
)

// rawRequest sends req on a fresh connection and reads the response.
func rawRequest(t *testing.T, base, req string) (*http.Response, map[string]any) {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn.Close() }()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := conn.Write([]byte(req)); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	var body map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatalf("status %d: body is not JSON: %v", resp.StatusCode, err)
	}
	return resp, body
}

// TestUnreadableRequests: requests fasthttp cannot read are answered in
// the API's error shape with their own status (a body over the limit was
// a plain-text 400), and the log gets one short line that does not repeat
// the client's bytes.
func TestUnreadableRequests(t *testing.T) {
	var logs mediatest.LogBuffer
	base, _ := startServer(t, Config{
		Logger:             slog.New(slog.NewTextHandler(&logs, nil)),
		MaxRequestBodySize: 64 << 10,
	})
	big := strings.Repeat("a{", 40_000)
	junk := "GARBAGE" + strings.Repeat("\x01secret-client-bytes", 700) + "\r\n\r\n"
	tests := []struct {
		name, req string
		status    int
		code      string
	}{
		{"body over the limit", "POST /streamer/api/v3/config HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 80000\r\n\r\n" + big, 413, "payload_too_large"},
		{"headers over the buffer", junk, 431, "headers_too_large"},
		{"malformed request line", "NOT-HTTP \x01\x02 secret-client-bytes\r\n\r\n", 400, "bad_request"},
		{"bad header", "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: nope" + strings.Repeat("secret-client-bytes", 50) + "\r\n\r\n", 400, "bad_request"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := rawRequest(t, base, tc.req)
			if resp.StatusCode != tc.status || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
				t.Fatalf("status %d %q, want %d JSON", resp.StatusCode, resp.Header.Get("Content-Type"), tc.status)
			}
			errs, _ := body["errors"].([]any)
			first, _ := func() (map[string]any, bool) {
				if len(errs) == 0 {
					return nil, false
				}
				m, ok := errs[0].(map[string]any)
				return m, ok
			}()
			if first["code"] != tc.code {
				t.Errorf("body %v, want code %s", body, tc.code)
			}
		})
	}
	// fasthttp logs after writing the response: wait for the two lines
	// (headers over the buffer is not logged; fasthttp ignores it). The
	// body over the limit is the gateway's own refusal (bodies are
	// streamed, body.go), logged once without the body.
	mediatest.WaitFor(t, 5*time.Second, "2 fasthttp log lines and the body's", func() bool {
		return strings.Count(logs.String(), "fasthttp:") >= 2 && strings.Count(logs.String(), "request body over the limit") == 1
	})
	for line := range strings.SplitSeq(strings.TrimSpace(logs.String()), "\n") {
		if len(line) > 400 || strings.Count(line, "secret-client-bytes") > 1 {
			t.Errorf("log line of %d bytes repeats the client's bytes: %.300s", len(line), line)
		}
	}
}

func TestShortMessage(t *testing.T) {
	long := "error when serving connection \"a\"<->\"b\": error when reading request headers: cannot find whitespace: buffer size=9000, contents: \"GARBAGE\"...\"x\""
	if got := shortMessage(long); strings.Contains(got, "GARBAGE") || !strings.HasSuffix(got, "cannot find whitespace") {
		t.Errorf("shortMessage = %q", got)
	}
	got := shortMessage(strings.Repeat("é", 200) + "\nnext")
	if len(got) > maxLogMessage+30 || strings.Contains(got, "\n") || !strings.Contains(got, "bytes cut") {
		t.Errorf("shortMessage of a long line = %q", got)
	}
}
