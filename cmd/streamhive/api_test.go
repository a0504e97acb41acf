package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"streamhive/media/mediatest"
)

const (
	editAuth = "admin:secret"
	viewAuth = "viewer:look"
)

const authConfig = "edit_auth admin secret;\nview_auth viewer look;\n"

func decode[T any](t *testing.T, body string) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatalf("decode %q: %v", body, err)
	}
	return v
}

type streamJSON struct {
	Name   string           `json:"name"`
	Title  string           `json:"title"`
	Inputs []map[string]any `json:"inputs"`
	Stats  struct {
		Lifetime int64 `json:"lifetime"`
	} `json:"stats"`
	Protocols map[string]any `json:"protocols"`
	DVR       map[string]any `json:"dvr"`
}

type listJSON struct {
	Count   int          `json:"estimated_count"`
	Next    *string      `json:"next"`
	Prev    *string      `json:"prev"`
	Streams []streamJSON `json:"streams"`
}

func TestCheckFlagReportsPositions(t *testing.T) {
	dir := t.TempDir()
	bad := dir + "/bad.conf"
	if err := os.WriteFile(bad, []byte("http 8080;\nstrem demo {\n  input fake://;\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb strings.Builder
	if code := run([]string{"-t", "-config", bad}, &out, &errb); code == 0 {
		t.Fatalf("-t on a bad config exited 0")
	}
	msg := errb.String()
	if !strings.Contains(msg, bad+":2:1") || !strings.Contains(msg, `did you mean "stream"`) {
		t.Errorf("error %q lacks file:line:col or a suggestion", msg)
	}

	good := writeConfig(t, dir, 18080, "stream a { input publish://; }\n")
	out.Reset()
	if code := run([]string{"-t", "-config", good}, &out, &errb); code != 0 {
		t.Fatalf("-t on a good config exited %d: %s", code, errb.String())
	}
}

func TestAuthMatrixOverRealServer(t *testing.T) {
	port := freePort(t)
	cfg := writeConfig(t, t.TempDir(), port, authConfig+"stream a { input publish://; }\n")
	p := start(t, port, "-config", cfg)

	cases := []struct {
		method, path, auth string
		want               int
	}{
		{"GET", "/streamer/api/v3/streams", "", 401},
		{"GET", "/streamer/api/v3/streams", viewAuth, 200},
		{"GET", "/flussonic/api/v3/streams", editAuth, 200},
		{"GET", "/streamer/api/v3/streams", "admin:wrong", 401},
		{"PUT", "/streamer/api/v3/streams/b", "", 401},
		{"PUT", "/streamer/api/v3/streams/b", viewAuth, 403},
		{"PUT", "/streamer/api/v3/streams/b", editAuth, 200},
		{"GET", "/streamer/api/v3/monitoring/liveness", "", 200},
		{"GET", "/streamer/api/v3/monitoring/readiness", "", 200},
	}
	for _, c := range cases {
		body := ""
		if c.method == "PUT" {
			body = `{"inputs":[{"url":"publish://"}]}`
		}
		if got, resp := p.do(c.method, c.path, c.auth, body); got != c.want {
			t.Errorf("%s %s as %q: %d, want %d (%s)", c.method, c.path, c.auth, got, c.want, resp)
		}
	}
	// Bearer with base64(login:password), as Flussonic accepts.
	req, _ := http.NewRequest("GET", p.base+"/streamer/api/v3/streams/a", nil)
	req.Header.Set("Authorization", "Bearer YWRtaW46c2VjcmV0")
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Errorf("bearer read: %v %v", err, resp)
	}
	if resp != nil {
		_ = resp.Body.Close()
	}
	code, body := p.do("GET", "/streamer/api/v3/streams/nope", editAuth, "")
	if code != 404 || !strings.Contains(body, `"errors":[{`) {
		t.Errorf("unknown stream: %d %s, want 404 with the errors shape", code, body)
	}
}

// TestWritesPersistAcrossRestart covers create, deep partial merge, null
// removal, $reset, a rejected write that changes nothing, and that every
// accepted write is in the file the next process reads.
func TestWritesPersistAcrossRestart(t *testing.T) {
	port := freePort(t)
	dir := t.TempDir()
	cfg := writeConfig(t, dir, port, authConfig)
	p := start(t, port, "-config", cfg)

	put := func(name, body string, want int) string {
		t.Helper()
		code, resp := p.do("PUT", "/streamer/api/v3/streams/"+name, editAuth, body)
		if code != want {
			t.Fatalf("PUT %s %s: %d, want %d: %s", name, body, code, want, resp)
		}
		return resp
	}
	get := func(p *proc) streamJSON {
		t.Helper()
		code, body := p.do("GET", "/streamer/api/v3/streams/news", editAuth, "")
		if code != 200 {
			t.Fatalf("GET news: %d %s", code, body)
		}
		return decode[streamJSON](t, body)
	}
	put("news", `{"title":"News","inputs":[{"url":"publish://"}],"dvr":{"root":"/tmp/dvr","expiration":3600}}`, 200)
	put("news", `{"dvr":{"expiration":7200}}`, 200) // deep merge: root stays
	if s := get(p); s.DVR["root"] != "/tmp/dvr" || s.DVR["expiration"] != float64(7200) || s.Title != "News" {
		t.Fatalf("merge: got %+v", s)
	}
	put("news", `{"title":null}`, 200)                                                  // null removes
	put("news", `{"dvr":{"$reset":true,"root":"/tmp/dvr2","storage_limit":1000}}`, 200) // replaces: expiration is gone
	before, _ := os.ReadFile(cfg)
	put("news", `{"inputs":[{"urll":"x"}]}`, 400) // unknown key: nothing changes
	put("news", `{"segment_duration":100}`, 400)  // fails validation: nothing changes
	if after, _ := os.ReadFile(cfg); string(after) != string(before) {
		t.Fatalf("a rejected write changed the file:\n%s\n---\n%s", before, after)
	}

	check := func(p *proc) {
		t.Helper()
		s := get(p)
		if s.Title != "" {
			t.Errorf("null did not remove the title: %+v", s)
		}
		if _, ok := s.DVR["expiration"]; ok || s.DVR["root"] != "/tmp/dvr2" || s.DVR["storage_limit"] != float64(1000) {
			t.Errorf("$reset: dvr %v, want only root and storage_limit", s.DVR)
		}
	}
	check(p)
	if d := p.stop(syscall.SIGTERM); d > 5*time.Second {
		t.Errorf("SIGTERM took %v, want under 5s", d)
	}
	check(start(t, port, "-config", cfg))
}

func TestCursorPagingThrough250Streams(t *testing.T) {
	var b strings.Builder
	for i := range 250 {
		fmt.Fprintf(&b, "stream s%03d { input publish://; }\n", i)
	}
	port := freePort(t)
	p := start(t, port, "-config", writeConfig(t, t.TempDir(), port, b.String()))

	seen := map[string]int{}
	path := "/streamer/api/v3/streams?limit=100"
	var pages []listJSON
	for range 10 {
		code, body := p.do("GET", path, "", "")
		if code != 200 {
			t.Fatalf("GET %s: %d %s", path, code, body)
		}
		l := decode[listJSON](t, body)
		pages = append(pages, l)
		for _, s := range l.Streams {
			seen[s.Name]++
		}
		if l.Next == nil {
			break
		}
		path = "/streamer/api/v3/streams?limit=100&cursor=" + *l.Next
	}
	if len(pages) != 3 || len(pages[2].Streams) != 50 || pages[0].Count != 250 {
		t.Fatalf("pages: %d, last %d items, count %d; want 3, 50, 250", len(pages), len(pages[len(pages)-1].Streams), pages[0].Count)
	}
	for i := range 250 {
		if n := seen[fmt.Sprintf("s%03d", i)]; n != 1 {
			t.Fatalf("s%03d seen %d times", i, n)
		}
	}
	// prev goes back from the last page to the second.
	code, body := p.do("GET", "/streamer/api/v3/streams?limit=100&cursor="+*pages[2].Prev, "", "")
	if back := decode[listJSON](t, body); code != 200 || len(back.Streams) == 0 || back.Streams[0].Name != "s100" {
		t.Errorf("prev page: %d, first %v, want s100", code, back.Streams)
	}
}

// TestReloadKeepsUnchangedStreams edits the file and sends SIGHUP: the
// untouched stream keeps its lifetime, the removed one is gone, the added one
// appears, and a broken file changes nothing.
func TestReloadKeepsUnchangedStreams(t *testing.T) {
	port := freePort(t)
	dir := t.TempDir()
	cfg := writeConfig(t, dir, port, "stream keep { input publish://; }\nstream drop { input publish://; }\nstream edit { input publish://; }\n")
	p := start(t, port, "-config", cfg)

	lifetime := func(name string) (int64, bool) {
		code, body := p.do("GET", "/streamer/api/v3/streams/"+name, "", "")
		if code != 200 {
			return 0, false
		}
		return decode[streamJSON](t, body).Stats.Lifetime, true
	}
	// Let the streams age so a restart (lifetime back near 0) is visible.
	mediatest.WaitFor(t, 10*time.Second, "keep to age", func() bool { l, _ := lifetime("keep"); return l > 1500 })
	before, _ := lifetime("keep")

	writeConfig(t, dir, port, "stream keep { input publish://; }\nstream edit { input publish://; title \"Edited\"; }\nstream add { input publish://; }\n")
	if err := p.cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	mediatest.WaitFor(t, 10*time.Second, "reload", func() bool { _, ok := lifetime("add"); return ok })

	if _, ok := lifetime("drop"); ok {
		t.Error("removed stream still answers")
	}
	if after, _ := lifetime("keep"); after < before {
		t.Errorf("unchanged stream restarted: lifetime %d after reload, %d before", after, before)
	}
	code, body := p.do("GET", "/streamer/api/v3/streams/edit", "", "")
	if s := decode[streamJSON](t, body); code != 200 || s.Title != "Edited" {
		t.Errorf("changed stream: %d %s", code, body)
	}

	if err := os.WriteFile(cfg, []byte("http 127.0.0.1:1;\nstrem broken;\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	mediatest.WaitFor(t, 10*time.Second, "reload rejection in the log", func() bool { return strings.Contains(p.log.String(), "reload rejected") })
	if _, ok := lifetime("keep"); !ok {
		t.Error("a broken reload removed streams")
	}
}

func TestMetricsEndpoint(t *testing.T) {
	port := freePort(t)
	p := start(t, port, "-config", writeConfig(t, t.TempDir(), port, "stream a { input publish://; }\n"))
	p.do("GET", "/streamer/api/v3/streams", "", "")
	code, body := p.do("GET", "/metrics", "", "")
	if code != 200 {
		t.Fatalf("/metrics: %d", code)
	}
	for _, want := range []string{"process_resident_memory_bytes", "streamhive_actor_restarts_total", "streamhive_streams{"} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if !strings.Contains(body, `route="/streams"`) && !strings.Contains(body, "api_requests") {
		t.Errorf("/metrics lacks API request counters:\n%s", body[:min(len(body), 2000)])
	}
}
