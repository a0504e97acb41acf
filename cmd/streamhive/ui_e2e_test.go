//go:build e2e

package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"streamhive/actors/config"
	"streamhive/media/mediatest"
)

// The web UI at "/" (gateway/web/ui.html, assets/ui.js) in headless
// Chromium with no network but the server, driven over DevTools. The
// screenshots go to artifactDir (devtools_e2e_test.go).

// currentTime is the UI's player's position.
const currentTime = `document.getElementById("video").currentTime`

// TestUI: the list shows the demo stream running; its page plays live
// (currentTime advances) and plays a range of its DVR; the UI's form
// shows why a stream with a bad input is refused, and a stream created
// in it appears in GET /streams; a session kicked from the
// Sessions page is gone from GET /sessions; then uiMonitoring's checks on
// the same server and browser.
func TestUI(t *testing.T) {
	if testing.Short() {
		t.Skip("real-browser test")
	}
	port := freePort(t)
	dir := t.TempDir()
	// Nothing listens at down's input nor at demo's push: uiMonitoring's
	// all_inputs_down and push_failed.
	conf := fmt.Sprintf("rtmp 127.0.0.1:%d;\nstream demo { input fake://; segment_duration 1; dvr %s 1h; push rtmp://127.0.0.1:%d/x/y; }\n"+
		"stream down { input tshttp://127.0.0.1:%d/down.ts; }\n",
		freePort(t), filepath.Join(dir, "dvr"), freePort(t), freePort(t))
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
	d.setField("f-inputs", "nope://x") // refused (config_refused), and the form says why
	d.click("#save")
	d.waitTrue(10*time.Second, "the refusal shown", `document.getElementById("form-error").textContent !== ""`)
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

	uiMonitoring(t, p, d)
}

// uiMonitoring: the demo stream's page draws its input's history chart
// and lists the events of a restart (its Restart button) as they come;
// the Alerts page, and the stream's page, show all_inputs_down firing for
// "down", whose only input is an unreachable URL; the Events page lists
// that alert_fired. The alert fires after DefaultRules' 10 s at the
// monitor's 5 s samples: TestUI's checks before take longer, so its wait
// costs little and the rules need no shortening.
func uiMonitoring(t *testing.T, p *proc, d *devtools) {
	t.Helper()
	t0 := time.Now()
	defer func() { t.Logf("events, alerts and history checks: %v", time.Since(t0).Round(time.Millisecond)) }()
	d.navigate(p.base + "/#/stream/demo")
	chart := `document.querySelector('[data-hook="input-history"][data-input="0"]')`
	d.waitTrue(20*time.Second, "input 0's history chart drawn", chart+`?.dataset.samples > 0`)
	var blue int // the bitrate's line and area: pixels drawn in the chart's blue
	d.eval(`(() => { const c = `+chart+`.querySelector("canvas");
		const px = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
		let n = 0;
		for (let i = 0; i < px.length; i += 4) if (px[i + 3] > 0 && px[i + 2] > 150 && px[i] < 120) n++;
		return n; })()`, &blue)
	if blue == 0 {
		t.Errorf("input 0's history chart has no bitrate drawn")
	}
	d.waitTrue(10*time.Second, "the stream's events listed", `document.querySelector('[data-hook="events"]')?.dataset.drawn > 0`)
	var before int
	d.eval(`Math.max(0, ...[...document.querySelectorAll("tr[data-event-id]")].map((r) => Number(r.dataset.eventId)))`, &before)
	d.click("#restart")
	for _, name := range []string{"stream_stopped", "stream_started"} {
		d.waitTrue(20*time.Second, name+" of the restart listed", fmt.Sprintf(
			`[...document.querySelectorAll('tr[data-event=%s]')].some((r) => Number(r.dataset.eventId) > %d)`, jsString(name), before))
	}
	d.screenshot("stream-history.png")
	d.eval(`document.querySelector('[data-hook="events"]').scrollIntoView()`, nil)
	d.screenshot("stream-events.png")

	firing := `document.querySelector('[data-hook="alerts"] tr[data-alert="all_inputs_down"][data-state="firing"]')`
	d.navigate(p.base + "/#/alerts")
	d.waitTrue(40*time.Second, "all_inputs_down firing for down on the Alerts page", firing+`?.textContent.includes("down")`)
	d.screenshot("alerts.png")
	d.navigate(p.base + "/#/stream/down")
	d.waitTrue(10*time.Second, "all_inputs_down firing on down's page", firing)
	d.screenshot("stream-alert.png")
	d.navigate(p.base + "/#/events")
	d.waitTrue(10*time.Second, "alert_fired on the Events page",
		`[...document.querySelectorAll('tr[data-event="alert_fired"]')].some((r) => r.textContent.includes("all_inputs_down"))`)
	// What TestUI did before shows too: the kicked session, the form's
	// refused and accepted writes, demo's push.
	for _, name := range []string{"play_opened", "play_closed", "config_refused", "config_reloaded", "push_failed", "source_lost", "source_ready"} {
		d.waitTrue(10*time.Second, name+" on the Events page", fmt.Sprintf(`document.querySelector('tr[data-event=%s]')`, jsString(name)))
	}
	d.screenshot("events.png")
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
// (the list shows one page of the API's). The browser's first load of
// the UI (its renderer's start, the assets into its cache) is logged,
// not counted: an operator's browser is running already. The loads after
// go from the UI to the UI (a new document: its URL's query differs), as
// an operator's would; devtools.navigate's hop through about:blank would
// also time Chromium starting a renderer process for the site.
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
	for i, c := range []struct{ name, path, view, shot string }{
		{"list", "/", "list", "list-of-10000.png"},
		{"stream page", "/#/stream/s09999", "stream", "stream-of-10000.png"},
	} {
		var worst int
		for load := range 3 {
			url := fmt.Sprintf("%s/?load=%d-%d%s", p.base, i, load, strings.TrimPrefix(c.path, "/"))
			d.call("Page.navigate", map[string]string{"url": url})
			d.waitTrue(10*time.Second, "the page "+url+" loaded",
				fmt.Sprintf(`location.href === %s && document.readyState !== "loading"`, jsString(url)))
			d.waitTrue(10*time.Second, c.name+" drawn", fmt.Sprintf(`document.getElementById("app").dataset.ready === %s`, jsString(c.view)))
			var ms string
			d.eval(`document.getElementById("app").dataset.readyMs`, &ms)
			var v int
			if _, err := fmt.Sscan(ms, &v); err != nil {
				t.Fatalf("ready time %q", ms)
			}
			if i == 0 && load == 0 {
				t.Logf("the browser's first load of the UI (not counted): %d ms", v)
			} else {
				worst = max(worst, v)
			}
			var parts string // where the time went: the page, its script, the API's answer
			d.eval(`(() => { const nav = performance.getEntriesByType("navigation")[0];
				const r = performance.getEntriesByType("resource");
				const js = r.find((e) => e.name.includes("/ui.js")), api = r.find((e) => e.name.includes("/streamer/api/v3/streams"));
				const f = (x) => Math.round(x);
				return "page " + f(nav.responseEnd) + " ms, ui.js " + (js ? f(js.startTime) + "/" + f(js.responseStart) + "-" + f(js.responseEnd) + " (" + js.transferSize + " B)" : "?") +
					" ms, API request " + (api ? f(api.startTime) + "-" + f(api.responseEnd) : "?") + " ms"; })()`, &parts)
			t.Logf("%s with %d streams: drawn %d ms after navigation (%s)", c.name, n, v, parts)
		}
		if worst >= 1000 {
			t.Errorf("%s with %d streams: %d ms, want under 1000", c.name, n, worst)
		}
		d.screenshot(c.shot)
	}
	d.navigate(p.base + "/")
	d.waitTrue(10*time.Second, "the list drawn", `document.getElementById("app").dataset.ready === "list"`)
	var rows int
	d.eval(`document.querySelectorAll("#streams tbody tr").length`, &rows)
	if rows != 50 {
		t.Errorf("the list drew %d rows, want one page of 50", rows)
	}
	if dir := os.Getenv("STREAMHIVE_ARTIFACTS"); dir != "" {
		t.Logf("screenshots under %s", dir)
	}
}

// TestUIOnDefaultConfig: the server on its embedded default config (what
// `make run` starts; its ports moved to free ones) answers GET / with
// the UI's page, not a JSON 404.
func TestUIOnDefaultConfig(t *testing.T) {
	port := freePort(t)
	conf := string(config.DefaultText)
	for old, moved := range map[string]string{
		"http 8080;": fmt.Sprintf("http 127.0.0.1:%d;", port),
		"rtmp 1935;": fmt.Sprintf("rtmp 127.0.0.1:%d;", freePort(t)),
		"rtsp 8554;": fmt.Sprintf("rtsp 127.0.0.1:%d;", freePort(t)),
		"port 9998;": fmt.Sprintf("port %d;", freeUDPPort(t)),
	} {
		if !strings.Contains(conf, old) {
			t.Fatalf("the default config has no %q", old)
		}
		conf = strings.Replace(conf, old, moved, 1)
	}
	path := filepath.Join(t.TempDir(), "default.conf")
	if err := os.WriteFile(path, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	p := start(t, port, "-config", path)
	resp, err := http.Get(p.base + "/")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") ||
		!strings.Contains(string(body), "<title>StreamHive</title>") {
		t.Fatalf("GET / on the default config: %d %s\n%s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
}
