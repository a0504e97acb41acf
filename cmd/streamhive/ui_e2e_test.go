//go:build e2e

package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"streamhive/media/mediatest"
)

// The web UI at "/" (gateway/web/ui.html, assets/ui.js) in headless
// Chromium with no network but the server, driven over DevTools. The
// screenshots go to artifactDir (devtools_e2e_test.go).

// currentTime is the UI's player's position.
const currentTime = `document.getElementById("video").currentTime`

// TestUI: the list shows the demo stream running; its page plays live
// (currentTime advances) and plays a range of its DVR; a stream created
// in the UI's form appears in GET /streams; a session kicked from the
// Sessions page is gone from GET /sessions.
func TestUI(t *testing.T) {
	if testing.Short() {
		t.Skip("real-browser test")
	}
	port := freePort(t)
	dir := t.TempDir()
	conf := fmt.Sprintf("rtmp 127.0.0.1:%d;\nstream demo { input fake://; segment_duration 1; dvr %s 1h; }\n",
		freePort(t), filepath.Join(dir, "dvr"))
	p := start(t, port, "-config", writeConfig(t, dir, port, conf))
	d := openDevtools(t, noNetwork)

	// The list: the demo stream, running, its active input shown.
	d.navigate(p.base + "/")
	d.waitTrue(20*time.Second, "the demo stream running in the list",
		`document.querySelector('tr[data-stream="demo"] .badge')?.textContent === "running"`)
	var active string
	d.eval(`document.querySelector('tr[data-stream="demo"] td.url').textContent`, &active)
	if active != "#0 fake://" {
		t.Errorf("active input shown as %q", active)
	}
	d.screenshot("list.png")

	// The stream page's live player plays 3 s.
	d.navigate(p.base + "/#/stream/demo")
	playsFor(t, d, 3, "live")
	d.waitTrue(10*time.Second, "the DVR timeline", `document.querySelector("#timeline .range")`)
	d.screenshot("stream.png")

	// A DVR range: the first 4 s recorded, played from the archive.
	mediatest.WaitFor(t, 30*time.Second, "8 s of archive", func() bool {
		var depth float64
		d.eval(`fetch("/streamer/api/v3/streams/demo").then(r => r.json()).then(s => s.stats.dvr_info ? s.stats.dvr_info.depth : 0)`, &depth)
		return depth >= 8
	})
	d.eval(`document.querySelector("#ranges tbody tr:last-child button").click()`, nil)
	d.waitTrue(5*time.Second, "the archive chosen", `document.getElementById("playing").textContent.startsWith("archive")`)
	playsFor(t, d, 2, "the archive")
	d.screenshot("stream-archive.png")

	// A stream created in the form.
	d.navigate(p.base + "/#/new")
	d.waitTrue(10*time.Second, "the form", `document.getElementById("app").dataset.ready === "edit"`)
	d.setField("f-name", "made/in-ui")
	d.setField("f-title", "Made in the UI")
	d.setField("f-inputs", "fake://")
	d.screenshot("new-stream.png")
	d.click("#save")
	d.waitTrue(10*time.Second, "the new stream's page", `location.hash === "#/stream/made%2Fin-ui"`)
	if status, body := p.do(http.MethodGet, "/streamer/api/v3/streams?name=made/in-ui", "", ""); status != http.StatusOK ||
		!strings.Contains(body, `"name":"made/in-ui"`) || !strings.Contains(body, `"title":"Made in the UI"`) {
		t.Fatalf("GET /streams after the form's Create: %d %s", status, body)
	}
	d.waitTrue(20*time.Second, "the new stream running", `document.querySelector(".toolbar .badge")?.textContent === "running"`)

	// A session kicked from the Sessions page.
	id := openSession(t, p)
	d.navigate(p.base + "/#/sessions")
	row := fmt.Sprintf(`document.querySelector('tr[data-session=%s]')`, jsString(id))
	d.waitTrue(10*time.Second, "the session listed", row)
	d.screenshot("sessions.png")
	d.eval(row+`.querySelector("button.kick").click()`, nil)
	mediatest.WaitFor(t, 10*time.Second, "the kicked session gone from GET /sessions", func() bool {
		_, body := p.do(http.MethodGet, "/streamer/api/v3/sessions", "", "")
		return !strings.Contains(body, id)
	})
	d.waitTrue(10*time.Second, "the kicked session gone from the page", "!"+row)
}

// playsFor waits until the UI's player has played secs seconds.
func playsFor(t *testing.T, d *devtools, secs float64, what string) {
	t.Helper()
	var first float64 = -1
	mediatest.WaitFor(t, 45*time.Second, fmt.Sprintf("%v s of %s played", secs, what), func() bool {
		var now float64
		var perr string
		d.eval(`document.getElementById("player-status").textContent`, &perr)
		if perr != "" {
			t.Fatalf("player error: %s", perr)
		}
		d.eval(currentTime, &now)
		if first < 0 && now > 0 {
			first = now
		}
		return first >= 0 && now-first >= secs
	})
}

// openSession opens an HLS viewer session on the demo stream and returns
// its id. Its token sets it apart from the UI's own player's session
// (same address, same stream).
func openSession(t *testing.T, p *proc) string {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, p.base+"/demo/index.m3u8?token=ui-kick-test", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	var id string
	mediatest.WaitFor(t, 10*time.Second, "the viewer's session", func() bool {
		_, body := p.do(http.MethodGet, "/streamer/api/v3/sessions", "", "")
		var list struct {
			Sessions []struct {
				ID    string `json:"id"`
				Token string `json:"token"`
			} `json:"sessions"`
		}
		if json.Unmarshal([]byte(body), &list) != nil {
			t.Fatalf("GET /sessions: %s", body)
		}
		for _, s := range list.Sessions {
			if s.Token == "ui-kick-test" {
				id = s.ID
				return true
			}
		}
		return false
	})
	return id
}

// TestUISignIn: with edit_auth and view_auth set, the UI asks for the
// API's credentials in its form; a wrong password is asked again, the
// view pair reads the list but its write is refused with the reason, the
// edit pair writes. The password goes in no URL.
func TestUISignIn(t *testing.T) {
	if testing.Short() {
		t.Skip("real-browser test")
	}
	port := freePort(t)
	dir := t.TempDir()
	conf := authConfig + fmt.Sprintf("rtmp 127.0.0.1:%d;\nstream demo { input fake://; }\n", freePort(t))
	p := start(t, port, "-config", writeConfig(t, dir, port, conf))
	d := openDevtools(t, noNetwork)
	signIn := func(login, password string) {
		t.Helper()
		d.waitTrue(10*time.Second, "the sign-in form", `document.getElementById("login").open`)
		d.eval(fmt.Sprintf(`(() => { const f = document.getElementById("login-form");
			f.elements.login.value = %s; f.elements.password.value = %s; f.requestSubmit(); return true; })()`,
			jsString(login), jsString(password)), nil)
	}

	d.navigate(p.base + "/")
	d.waitTrue(10*time.Second, "the sign-in form", `document.getElementById("login").open`)
	d.screenshot("sign-in.png")
	signIn("viewer", "wrong")
	d.waitTrue(10*time.Second, "the wrong password asked again",
		`document.getElementById("login").open && document.getElementById("login-why").textContent.startsWith("Wrong")`)
	signIn("viewer", "look")
	d.waitTrue(20*time.Second, "the list read with the view pair",
		`document.querySelector('tr[data-stream="demo"] .badge')?.textContent === "running"`)

	// The view pair may not write: the form says why.
	d.navigate(p.base + "/#/new")
	d.waitTrue(10*time.Second, "the form", `document.getElementById("app").dataset.ready === "edit"`)
	d.setField("f-name", "by-viewer")
	d.setField("f-inputs", "fake://")
	d.click("#save")
	d.waitTrue(10*time.Second, "the refusal shown", `document.getElementById("form-error").textContent.includes("edit_auth")`)

	// Signed out and in again with the edit pair, the same form creates it.
	d.eval(`document.querySelector("#who button").click()`, nil)
	d.navigate(p.base + "/")
	signIn("admin", "secret")
	d.waitTrue(20*time.Second, "the list read with the edit pair", `document.querySelector('tr[data-stream="demo"]')`)
	d.navigate(p.base + "/#/new")
	d.waitTrue(10*time.Second, "the form", `document.getElementById("app").dataset.ready === "edit"`)
	d.setField("f-name", "by-admin")
	d.setField("f-inputs", "fake://")
	d.click("#save")
	d.waitTrue(10*time.Second, "the new stream's page", `location.hash === "#/stream/by-admin"`)
	if status, body := p.do(http.MethodGet, "/streamer/api/v3/streams/by-admin", "admin:secret", ""); status != http.StatusOK {
		t.Fatalf("the stream the edit pair created: %d %s", status, body)
	}
	if status, _ := p.do(http.MethodGet, "/streamer/api/v3/streams/by-viewer", "admin:secret", ""); status != http.StatusNotFound {
		t.Errorf("the view pair's write went through: %d", status)
	}
	var href string
	d.eval(`location.href`, &href)
	if strings.Contains(href, "secret") || strings.Contains(href, "look") {
		t.Errorf("a password in the page's URL: %s", href)
	}
}

// TestUI10000Streams: with 10,000 streams configured, a stream's page
// and the list load, from navigation to their data drawn, in under 1 s
// (the list shows one page of the API's).
func TestUI10000Streams(t *testing.T) {
	if testing.Short() {
		t.Skip("real-browser test")
	}
	const n = 10000
	port := freePort(t)
	dir := t.TempDir()
	var conf strings.Builder
	for i := range n {
		fmt.Fprintf(&conf, "stream s%05d { input publish://; title \"Stream %d\"; }\n", i, i)
	}
	p := start(t, port, "-config", writeConfig(t, dir, port, conf.String()))
	d := openDevtools(t, noNetwork)
	for _, c := range []struct{ name, path, view, shot string }{
		{"stream page", "/#/stream/s09999", "stream", "stream-of-10000.png"},
		{"list", "/", "list", "list-of-10000.png"},
	} {
		var worst int
		for range 3 { // the first load fills the browser's cache, the others use it
			d.navigate(p.base + c.path)
			d.waitTrue(10*time.Second, c.name+" drawn", fmt.Sprintf(`document.getElementById("app").dataset.ready === %s`, jsString(c.view)))
			var ms string
			d.eval(`document.getElementById("app").dataset.readyMs`, &ms)
			var v int
			if _, err := fmt.Sscan(ms, &v); err != nil {
				t.Fatalf("ready time %q", ms)
			}
			worst = max(worst, v)
			var parts string // where the time went: the page, its script, the API's answer
			d.eval(`(() => { const nav = performance.getEntriesByType("navigation")[0];
				const r = performance.getEntriesByType("resource");
				const js = r.find((e) => e.name.includes("/ui.js")), api = r.find((e) => e.name.includes("/streamer/api/v3/"));
				const f = (x) => Math.round(x);
				return "page " + f(nav.responseEnd) + " ms, ui.js " + (js ? f(js.responseEnd) : "cached") +
					" ms, API request " + (api ? f(api.startTime) + "-" + f(api.responseEnd) : "?") + " ms"; })()`, &parts)
			t.Logf("%s with %d streams: drawn %d ms after navigation (%s)", c.name, n, v, parts)
		}
		if worst >= 1000 {
			t.Errorf("%s with %d streams: %d ms, want under 1000", c.name, n, worst)
		}
		d.screenshot(c.shot)
	}
	var rows int
	d.eval(`document.querySelectorAll("#streams tbody tr").length`, &rows)
	if rows != 50 {
		t.Errorf("the list drew %d rows, want one page of 50", rows)
	}
	if dir := os.Getenv("STREAMHIVE_ARTIFACTS"); dir != "" {
		t.Logf("screenshots under %s", dir)
	}
}
