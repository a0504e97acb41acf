//go:build e2e

package main

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fasthttp/websocket"

	"streamhive/media/mediatest"
)

// devtools drives one headless Chromium tab over the Chrome DevTools
// Protocol (a WebSocket of JSON commands): navigate, evaluate a script,
// take a screenshot. The tests that must click through a page use it;
// the player tests, which only watch, use a reporting page instead.
type devtools struct {
	t    *testing.T
	conn *websocket.Conn
	id   int
}

// cdpTimeout bounds one DevTools command.
const cdpTimeout = 30 * time.Second

// openDevtools starts Chromium (chromium's flags plus extra) on
// about:blank and connects to its tab.
func openDevtools(t *testing.T, extra ...string) *devtools {
	t.Helper()
	userDir := t.TempDir()
	startChromium(t, userDir, "about:blank", append([]string{"--window-size=1280,1000"}, extra...)...)
	var port string
	mediatest.WaitFor(t, 30*time.Second, "Chromium's DevTools port", func() bool {
		b, err := os.ReadFile(filepath.Join(userDir, "DevToolsActivePort"))
		if err != nil {
			return false
		}
		port, _, _ = strings.Cut(string(b), "\n")
		return port != ""
	})
	var targets []struct{ Type, WebSocketDebuggerURL string }
	mediatest.WaitFor(t, 10*time.Second, "Chromium's tab", func() bool {
		resp, err := http.Get("http://127.0.0.1:" + port + "/json/list")
		if err != nil {
			return false
		}
		defer func() { _ = resp.Body.Close() }()
		return json.NewDecoder(resp.Body).Decode(&targets) == nil && len(targets) > 0
	})
	for _, tg := range targets {
		if tg.Type != "page" {
			continue
		}
		conn, _, err := websocket.DefaultDialer.Dial(tg.WebSocketDebuggerURL, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = conn.Close() })
		return &devtools{t: t, conn: conn}
	}
	t.Fatalf("no page among Chromium's targets: %+v", targets)
	return nil
}

// call sends one command and returns its result, skipping the events
// that arrive meanwhile.
func (d *devtools) call(method string, params any) json.RawMessage {
	d.t.Helper()
	d.id++
	_ = d.conn.SetWriteDeadline(time.Now().Add(cdpTimeout))
	if err := d.conn.WriteJSON(map[string]any{"id": d.id, "method": method, "params": params}); err != nil {
		d.t.Fatalf("devtools %s: %v", method, err)
	}
	_ = d.conn.SetReadDeadline(time.Now().Add(cdpTimeout))
	for {
		var msg struct {
			ID     int             `json:"id"`
			Result json.RawMessage `json:"result"`
			Error  *struct {
				Message string `json:"message"`
			} `json:"error"`
		}
		if err := d.conn.ReadJSON(&msg); err != nil {
			d.t.Fatalf("devtools %s: %v", method, err)
		}
		if msg.ID != d.id {
			continue // an event, or an answer to nobody
		}
		if msg.Error != nil {
			d.t.Fatalf("devtools %s: %s", method, msg.Error.Message)
		}
		return msg.Result
	}
}

// navigate loads url, as a new document: about:blank first, so that a
// URL that differs from the current one only in its #fragment loads too.
func (d *devtools) navigate(url string) {
	d.t.Helper()
	d.call("Page.navigate", map[string]string{"url": "about:blank"})
	d.call("Page.navigate", map[string]string{"url": url})
	d.waitTrue(10*time.Second, "the page "+url+" loaded",
		fmt.Sprintf(`location.href === %s && document.readyState !== "loading"`, jsString(url)))
}

// eval runs expr in the page (awaiting a promise) and decodes its
// JSON-able value into out (nil: ignored).
func (d *devtools) eval(expr string, out any) {
	d.t.Helper()
	var res struct {
		Result struct {
			Value json.RawMessage `json:"value"`
		} `json:"result"`
		ExceptionDetails *struct {
			Text      string `json:"text"`
			Exception struct {
				Description string `json:"description"`
			} `json:"exception"`
		} `json:"exceptionDetails"`
	}
	raw := d.call("Runtime.evaluate", map[string]any{"expression": expr, "awaitPromise": true, "returnByValue": true})
	if err := json.Unmarshal(raw, &res); err != nil {
		d.t.Fatal(err)
	}
	if e := res.ExceptionDetails; e != nil {
		d.t.Fatalf("script %q threw: %s %s", expr, e.Text, e.Exception.Description)
	}
	if out != nil && len(res.Result.Value) > 0 {
		if err := json.Unmarshal(res.Result.Value, out); err != nil {
			d.t.Fatalf("script %q: %v", expr, err)
		}
	}
}

// waitTrue polls expr until it is true.
func (d *devtools) waitTrue(limit time.Duration, what, expr string) {
	d.t.Helper()
	mediatest.WaitFor(d.t, limit, what, func() bool {
		var ok bool
		d.eval("Boolean("+expr+")", &ok)
		return ok
	})
}

// screenshot saves the page as PNG name in artifactDir and returns the
// path.
func (d *devtools) screenshot(name string) string {
	d.t.Helper()
	var res struct{ Data string }
	if err := json.Unmarshal(d.call("Page.captureScreenshot", map[string]string{"format": "png"}), &res); err != nil {
		d.t.Fatal(err)
	}
	png, err := base64.StdEncoding.DecodeString(res.Data)
	if err != nil {
		d.t.Fatal(err)
	}
	path := filepath.Join(artifactDir(d.t), name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		d.t.Fatal(err)
	}
	d.t.Logf("screenshot %s (%d bytes)", path, len(png))
	return path
}

// artifactDir is where a test keeps what it shows (screenshots):
// $STREAMHIVE_ARTIFACTS/TEST when set, else the test's artifact directory
// (kept under -outputdir with `go test -artifacts`, a temporary one
// without).
func artifactDir(t *testing.T) string {
	t.Helper()
	root := os.Getenv("STREAMHIVE_ARTIFACTS")
	if root == "" {
		return t.ArtifactDir()
	}
	dir := filepath.Join(root, strings.ReplaceAll(t.Name(), "/", "_"))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s) // a string always marshals
	return string(b)
}

// setField types value into the page's field #id, as a user's typing
// would (an input event follows).
func (d *devtools) setField(id, value string) {
	d.t.Helper()
	d.eval(fmt.Sprintf(`(() => { const el = document.getElementById(%s); el.value = %s;
		el.dispatchEvent(new Event("input", {bubbles: true})); return true; })()`, jsString(id), jsString(value)), nil)
}

// click clicks the first element matching selector.
func (d *devtools) click(selector string) {
	d.t.Helper()
	d.eval(fmt.Sprintf(`document.querySelector(%s).click()`, jsString(selector)), nil)
}
