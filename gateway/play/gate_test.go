package play

import (
	"context"
	"encoding/xml"
	"io"
	"net/http"
	"net/netip"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	"streamhive/actors/auth"
	"streamhive/actors/sessions"
	"streamhive/media/mediatest"
)

// noRedirect is a client that shows a 302 instead of following it.
var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// getAs fetches url as a browser player would: with a User-Agent and a
// Referer.
func getAs(t *testing.T, url string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("User-Agent", "test-player/1.0")
	req.Header.Set("Referer", "https://site.example/watch")
	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

// TestGateAsksForEveryRequest: every kind of playback request is put to
// the Gate once, as a Viewer that says what it is.
func TestGateAsksForEveryRequest(t *testing.T) {
	gate := &fakeGate{}
	hr := newGatedHarness(t, gate)
	ah := newGatedArchiveHarness(t, gate)
	_, pl := ah.get(t, arcPath("clean", "mono-%d-10.m3u8", 0), 200)
	record := strings.SplitN(lastURI(pl), "?", 2)[0]
	type want struct {
		path, proto string
		dvr         bool
	}
	live := []want{
		{"/live/bunny/index.m3u8", "hls", false},
		{"/live/bunny/index.fmp4.m3u8", "hls", false},
		{"/live/bunny/index.ll.m3u8", "hls", false},
		{"/live/bunny/mono.m3u8", "hls", false},
		{"/live/bunny/track-0.ll.m3u8", "hls", false},
		{"/live/bunny/seg-1.ts", "hls", false},
		{"/live/bunny/seg-1.part-0.ts", "hls", false},
		{"/live/bunny/init-0.t0.mp4", "hls", false},
		{"/live/bunny/seg-1.t0.m4s", "hls", false},
		{"/live/bunny/dash-seg-1.t0.m4s", "dash", false},
		{"/live/bunny/dash-init-0.t0.mp4", "dash", false},
		{"/live/bunny/index.mpd", "dash", false},
		{"/live/bunny/preview.jpg", "jpeg", false},
		{"/live/bunny/preview.mp4", "mp4", false},
		{"/live/bunny/video.m3u8", "hls", false},
		{"/live/bunny/tracks-v1/mono.m3u8", "hls", false},
		{"/live/bunny/tracks-a1/index.m3u8", "hls", false},
		{"/live/bunny/tracks-a1/seg-1.ts", "hls", false},
		{"/live/bunny/info.json", "api", false},
		{"/live/bunny/index.json", "api", false},
	}
	archive := []want{
		{arcPath("clean", "index-%d-10.m3u8", 0), "hls", true},
		{arcPath("clean", "mono-%d-10.m3u8", 0), "hls", true},
		{"/clean/" + record, "hls", true},
		{arcPath("clean", "index-%d-10.mpd", 0), "dash", true},
		{arcPath("clean", "archive-%d-4.ts", 0), "mpegts", true},
		{arcPath("clean", "archive-%d-4.mp4", 0), "mp4", true},
		{arcPath("clean", "%d.jpg", 2), "jpeg", true},
		{arcPath("clean", "%d-preview.mp4", 2), "mp4", true},
		{"/clean/recording_status.json", "api", true},
		{arcPath("clean", "timeshift_abs-%d.mpd", 4), "dash", true},
	}
	_, mpd := ah.get(t, arcPath("clean", "index-%d-10.mpd", 0), 200)
	dashInit := regexp.MustCompile(`initialization="([^"?]+)`).FindStringSubmatch(mpd)[1]
	archive = append(archive, want{"/clean/" + dashInit, "dash", true})
	check := func(base string, w want) {
		t.Helper()
		before := len(gate.seen())
		resp, body := getAs(t, base+w.path+"?token=tk&x=1")
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d %s", w.path, resp.StatusCode, body)
		}
		seen := gate.seen()
		if len(seen) != before+1 {
			t.Fatalf("%s: gate asked %d times, want once", w.path, len(seen)-before)
		}
		got := seen[len(seen)-1]
		stream := strings.TrimPrefix(w.path, "/")
		stream = stream[:strings.LastIndexByte(stream, '/')]
		if i := strings.Index(stream, "/tracks-"); i > 0 { // a selection of the stream's tracks
			stream = stream[:i]
		}
		wantV := sessions.Viewer{
			Stream: stream, Proto: w.proto, IP: netip.MustParseAddr("127.0.0.1"), Token: "tk", Query: "token=tk&x=1",
			UserAgent: "test-player/1.0", Referer: "https://site.example/watch", DVR: w.dvr,
		}
		if w.proto == "mpegts" { // one response, one session: its connection is named
			if got.Conn == "" {
				t.Errorf("%s: no connection in the viewer", w.path)
			}
			wantV.Conn = got.Conn
		}
		if got != wantV {
			t.Errorf("%s:\n got %+v\nwant %+v", w.path, got, wantV)
		}
	}
	for _, w := range live {
		check(hr.base, w)
	}
	for _, w := range archive {
		check(ah.base, w)
	}

	// Continuous MPEG-TS: asked once, at the start.
	before := len(gate.seen())
	resp, err := http.Get(hr.base + "/live/bunny/mpegts?token=ts")
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if seen := gate.seen(); len(seen) != before+1 || seen[before].Proto != "mpegts" || seen[before].Token != "ts" {
		t.Errorf("mpegts: gate saw %+v", seen[before:])
	}
	// A second continuous MPEG-TS response from the same address and
	// token is another viewer: another connection in its key.
	resp, err = http.Get(hr.base + "/live/bunny/mpegts?token=ts")
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if seen := gate.seen(); len(seen) != before+2 || seen[before].Conn == "" || seen[before].Conn == seen[before+1].Conn {
		t.Errorf("two mpegts responses: connections %q and %q, want two", seen[before].Conn, seen[len(seen)-1].Conn)
	}

	// What is refused before the Gate is asked: no stream, output off,
	// preflight.
	before = len(gate.seen())
	for _, p := range []string{"/nope/index.m3u8", "/nohls/index.m3u8"} {
		if resp, _ := fetch(t, hr.base+p); resp.StatusCode == 200 {
			t.Errorf("%s: 200", p)
		}
	}
	req, _ := http.NewRequest(http.MethodOptions, hr.base+"/live/bunny/index.m3u8", nil)
	if resp, err := http.DefaultClient.Do(req); err == nil {
		_ = resp.Body.Close()
	}
	if n := len(gate.seen()) - before; n != 0 {
		t.Errorf("gate asked %d times for requests it has no say in", n)
	}
}

// TestGateRefuses: a denied viewer gets 403 in the playback error shape,
// a redirected one 302 to the backend's Location, and an Allow without a
// session (a gate bug) fails closed; none of them gets media.
func TestGateRefuses(t *testing.T) {
	gate := &fakeGate{}
	hr := newGatedHarness(t, gate)
	ah := newGatedArchiveHarness(t, gate)
	paths := []string{
		hr.base + "/live/bunny/index.m3u8", hr.base + "/live/bunny/track-0.ll.m3u8?_HLS_msn=1",
		hr.base + "/live/bunny/seg-1.ts", hr.base + "/live/bunny/seg-1.part-0.t0.m4s",
		hr.base + "/live/bunny/index.mpd", hr.base + "/live/bunny/mpegts", hr.base + "/live/bunny/preview.jpg",
		ah.base + arcPath("clean", "index-%d-10.m3u8", 0), ah.base + arcPath("clean", "archive-%d-4.ts", 0),
	}
	for _, p := range paths {
		sep := "?"
		if strings.Contains(p, "?") {
			sep = "&"
		}
		resp, body := getAs(t, p+sep+"token=deny1")
		checkResponse(t, resp, body, 403, "application/json", cacheNone, isError("403", codeForbidden))
		resp, body = getAs(t, p+sep+"token=broken")
		checkResponse(t, resp, body, 403, "application/json", cacheNone, isError("403", codeForbidden))
		resp, _ = getAs(t, p+sep+"token=redirect1")
		if resp.StatusCode != 302 || resp.Header.Get("Location") != "http://elsewhere.example/redirect1" {
			t.Errorf("%s: redirect: %d Location %q", p, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
}

// TestGateCountsBytes: an admitted request reports what it sent to its
// session: whole answers, streamed archive files, continuous MPEG-TS.
func TestGateCountsBytes(t *testing.T) {
	gate := &fakeGate{}
	hr := newGatedHarness(t, gate)
	ah := newGatedArchiveHarness(t, gate)
	total := 0
	for _, p := range []string{
		hr.base + "/live/bunny/index.m3u8", hr.base + "/live/bunny/seg-1.ts", hr.base + "/live/bunny/init-0.t0.mp4",
		hr.base + "/live/bunny/index.mpd", ah.base + arcPath("clean", "archive-%d-4.ts", 0),
		ah.base + arcPath("clean", "archive-%d-4.mp4", 0),
	} {
		resp, body := fetch(t, p+"?token=b")
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d", p, resp.StatusCode)
		}
		total += len(body)
		tk := gate.of("b")
		// Streamed answers report as they write: the client can have the
		// last bytes a moment before the writer reports them.
		mediatest.WaitFor(t, 2*time.Second, p+" counted", func() bool { return tk.bytes.Load() == int64(total) })
	}
	if n := gate.of("b").closed.Load(); n != 1 {
		t.Errorf("the archive .ts download closed its session %d times, want once", n)
	}
	req, _ := http.NewRequest(http.MethodHead, hr.base+"/live/bunny/seg-1.ts?token=head", nil)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 200 {
		t.Fatalf("HEAD: %v", err)
	}
	if n := gate.of("head").bytes.Load(); n != 0 {
		t.Errorf("HEAD counted %d bytes", n)
	}
}

// TestGateEndsMPEGTS: a continuous MPEG-TS response stops when its
// session ends (a kick) and closes the session when it stops; a viewer
// who leaves closes it too.
func TestGateEndsMPEGTS(t *testing.T) {
	gate := &fakeGate{}
	hr := newGatedHarness(t, gate)
	open := func(token string) *http.Response {
		resp, err := http.Get(hr.base + "/live/bunny/mpegts?token=" + token)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("open: %v", err)
		}
		buf := make([]byte, 188*10)
		if _, err := io.ReadFull(resp.Body, buf); err != nil {
			t.Fatal(err)
		}
		return resp
	}
	kicked, left := open("kicked"), open("left")
	mediatest.WaitFor(t, 5*time.Second, "2 viewers", func() bool { return hr.h.tsViewers.Load() == 2 })

	tk := gate.of("kicked")
	tk.end()
	done := make(chan int64, 1)
	go func() {
		n, _ := io.Copy(io.Discard, kicked.Body)
		done <- n + 188*10
	}()
	var read int64
	select {
	case read = <-done:
	case <-time.After(3 * time.Second): // well within one part of a live stream
		t.Fatal("kicked viewer's response did not end")
	}
	_ = kicked.Body.Close()
	mediatest.WaitFor(t, 2*time.Second, "kicked session closed", func() bool { return tk.closed.Load() == 1 })
	// The count is what was flushed to the socket, part by part; a kicked
	// viewer's socket closes at once, so neither side bounds the other
	// exactly (what was in flight may never reach it; a part cut mid-write
	// is not counted). TestGateCountsBytes checks the count itself.
	if n := tk.bytes.Load(); n <= 0 || read <= 188*10 {
		t.Errorf("kicked: %d bytes reported, %d read", n, read)
	}

	_ = left.Body.Close()
	mediatest.WaitFor(t, 5*time.Second, "left session closed", func() bool { return gate.of("left").closed.Load() == 1 })
	if hr.h.tsViewers.Load() != 0 {
		t.Errorf("%d viewers still streaming", hr.h.tsViewers.Load())
	}
}

// uris returns every URI of an M3U8 playlist: the lines that are not
// tags, and the URI attributes of tags.
func uris(pl string) []string {
	var out []string
	for line := range strings.SplitSeq(strings.TrimSpace(pl), "\n") {
		if !strings.HasPrefix(line, "#") {
			out = append(out, line)
			continue
		}
		for _, m := range uriAttr.FindAllStringSubmatch(line, -1) {
			out = append(out, m[1])
		}
	}
	return out
}

var uriAttr = regexp.MustCompile(`URI="([^"]*)"`)

// TestChildQueryLive: the session's query reaches every URI of the live
// playlists (variants, renditions, segments, parts, the preload hint, the
// init segment) and the MPD's templates, without the request's own
// delivery directives; a viewer without a token gets the one the gate
// made up.
func TestChildQueryLive(t *testing.T) {
	gate := &fakeGate{}
	hr := newGatedHarness(t, gate)
	_, plain := hr.get(t, "/live/bunny/track-0.ll.m3u8")
	msn := regexp.MustCompile(`#EXT-X-MEDIA-SEQUENCE:(\d+)`).FindStringSubmatch(string(plain))[1]
	for _, c := range []struct {
		path, query, want string
	}{
		{"index.m3u8", "token=abc", "?token=abc"},
		{"index.fmp4.m3u8", "token=abc", "?token=abc"},
		{"index.ll.m3u8", "token=abc&user=7", "?token=abc&user=7"},
		{"mono.ll.m3u8", "token=abc", "?token=abc"},
		{"track-0.ll.m3u8", "token=abc", "?token=abc"},
		{"track-1.ll.m3u8", "_HLS_msn=" + msn + "&token=abc", "?token=abc"},
		{"track-0.m3u8", "", "?token=made"},
		{"mono.m3u8", `token=a"b<c`, "?token=a%22b%3Cc"},
	} {
		_, body := hr.get(t, "/live/bunny/"+c.path+"?"+c.query)
		us := uris(string(body))
		if len(us) == 0 {
			t.Fatalf("%s: no URIs in\n%s", c.path, body)
		}
		for _, u := range us {
			if !strings.HasSuffix(u, c.want) || strings.Count(u, "?") != 1 {
				t.Errorf("%s?%s: URI %q, want it to end with %q", c.path, c.query, u, c.want)
			}
		}
	}
	_, mpd := hr.get(t, "/live/bunny/index.mpd?token=abc&user=7")
	var doc struct {
		Templates []struct {
			Init  string `xml:"initialization,attr"`
			Media string `xml:"media,attr"`
		} `xml:"Period>AdaptationSet>SegmentTemplate"`
	}
	if err := xml.Unmarshal(mpd, &doc); err != nil || len(doc.Templates) == 0 {
		t.Fatalf("MPD: %v\n%s", err, mpd)
	}
	for _, st := range doc.Templates {
		for _, u := range []string{st.Init, st.Media} {
			if !strings.HasSuffix(u, ".m4s?token=abc&user=7") && !strings.HasSuffix(u, ".mp4?token=abc&user=7") {
				t.Errorf("MPD URI %q lacks the query", u)
			}
		}
	}
}

// TestChildQueryArchive: archive masters, media playlists (the anchor a=
// stays on the media playlist URIs only) and MPDs carry the query.
func TestChildQueryArchive(t *testing.T) {
	ah := newGatedArchiveHarness(t, &fakeGate{})
	_, master := ah.get(t, "/clean/timeshift_rel-5.m3u8?token=abc", 200)
	u := uris(master)
	if len(u) != 1 || !regexp.MustCompile(`^mono-timeshift_rel-5\.m3u8\?a=\d+&token=abc$`).MatchString(u[0]) {
		t.Fatalf("timeshift master URIs %q", u)
	}
	_, pl := ah.get(t, "/clean/"+u[0], 200)
	for _, s := range uris(pl) {
		if !regexp.MustCompile(`^dvr-\d+\.ts\?token=abc$`).MatchString(s) {
			t.Errorf("timeshift media URI %q", s)
		}
	}
	_, fmaster := ah.get(t, arcPath("gappy", "archive-%d-60.fmp4.m3u8?token=abc", 0), 200)
	for _, s := range uris(fmaster) {
		if !strings.HasSuffix(s, "-60.m3u8?token=abc") {
			t.Errorf("fMP4 master URI %q", s)
		}
		_, track := ah.get(t, "/gappy/"+s, 200)
		for _, seg := range uris(track) {
			if !regexp.MustCompile(`^dvr-(init-)?\d+\.t\d\.(m4s|mp4)\?token=abc$`).MatchString(seg) {
				t.Errorf("fMP4 media URI %q", seg)
			}
		}
	}
	_, mpd := ah.get(t, arcPath("gappy", "index-%d-60.mpd?token=abc&u=1", 0), 200)
	if n := strings.Count(mpd, `?token=abc&amp;u=1"`); n == 0 || n != strings.Count(mpd, "initialization=")+strings.Count(mpd, " media=") {
		t.Errorf("archive MPD: %d URIs with the query\n%s", n, mpd)
	}
}

// allowAll admits everyone with a fixed ChildQuery.
type allowAll string

func (q allowAll) Admit(context.Context, sessions.Viewer) sessions.Admission {
	return sessions.Admission{Verdict: auth.Allow, Ticket: &fakeTicket{ended: make(chan struct{})}, ChildQuery: string(q)}
}

// TestChildQueryCache: a viewer without a query gets the bytes a handler
// without sessions serves, the very cached bytes; viewers with different
// tokens share one rendering per window, which holds no token.
func TestChildQueryCache(t *testing.T) {
	st := &fakeStream{}
	st.set(staticSegmenter(t, 12*time.Second))
	streams := fakeStreams{"live/b": st}
	plain := New(Options{Streams: streams})
	gated := New(Options{Streams: streams, Gate: allowAll("")})
	withToken := New(Options{Streams: streams, Gate: &fakeGate{}})
	for _, h := range []*Handler{plain, gated, withToken} {
		t.Cleanup(h.Close)
	}
	serve := func(h *Handler, uri string) []byte {
		var rc fasthttp.RequestCtx
		rc.Request.SetRequestURI(uri)
		h.Serve(&rc)
		if rc.Response.StatusCode() != 200 {
			t.Fatalf("%s: %d", uri, rc.Response.StatusCode())
		}
		return rc.Response.Body()
	}
	for _, p := range []string{"index.m3u8", "index.ll.m3u8", "mono.m3u8", "track-0.m3u8", "track-1.ll.m3u8", "mono.ll.m3u8"} {
		want := serve(plain, "/live/b/"+p)
		got := serve(gated, "/live/b/"+p)
		if string(got) != string(want) {
			t.Errorf("%s: without a query the bytes differ:\n%s\nwant\n%s", p, got, want)
		}
		if &got[0] != &serve(gated, "/live/b/"+p)[0] {
			t.Errorf("%s: not the cached bytes", p)
		}
		a := string(serve(withToken, "/live/b/"+p+"?token=aaa"))
		b := string(serve(withToken, "/live/b/"+p+"?token=bbb"))
		if a == string(want) || strings.ReplaceAll(a, "token=aaa", "token=bbb") != b {
			t.Errorf("%s: per-token renderings differ beyond the token", p)
		}
	}
	v, _ := withToken.cache.m.Load("live/b")
	g := v.(*versions).cur.Load()
	n := 0
	g.out.Range(func(_, r any) bool {
		n++
		if strings.Contains(string(r.(rendering).body), "token") {
			t.Errorf("cached rendering holds a token")
		}
		return true
	})
	if n != 6 {
		t.Errorf("%d renderings cached for 6 playlists and 2 viewers each", n)
	}
}

// TestPlaylistCuts: the splice points of a hand-written playlist,
// including tags this server does not write yet.
func TestPlaylistCuts(t *testing.T) {
	in := "#EXTM3U\n#EXT-X-MAP:URI=\"init.mp4\"\n#EXT-X-PART:DURATION=0.5,URI=\"p.m4s\",INDEPENDENT=YES\n" +
		"#EXTINF:2.0,\nseg.ts\n#EXT-X-STREAM-INF:BANDWIDTH=1\nmono-x.m3u8?a=5\r\n\n" +
		"#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"h.m4s\"\n#EXT-X-RENDITION-REPORT:URI=\"track-1.ll.m3u8\",LAST-MSN=3\n"
	want := "#EXTM3U\n#EXT-X-MAP:URI=\"init.mp4?q=1\"\n#EXT-X-PART:DURATION=0.5,URI=\"p.m4s?q=1\",INDEPENDENT=YES\n" +
		"#EXTINF:2.0,\nseg.ts?q=1\n#EXT-X-STREAM-INF:BANDWIDTH=1\nmono-x.m3u8?a=5&q=1\r\n\n" +
		"#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"h.m4s?q=1\"\n#EXT-X-RENDITION-REPORT:URI=\"track-1.ll.m3u8?q=1\",LAST-MSN=3\n"
	if got := string(withQuery([]byte(in), "q=1")); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if b := []byte(in); &withQuery(b, "")[0] != &b[0] {
		t.Errorf("an empty query copied the playlist")
	}
	noEOL := "#EXTM3U\nseg.ts"
	if got := string(withQuery([]byte(noEOL), "q")); got != "#EXTM3U\nseg.ts?q" {
		t.Errorf("no final newline: %q", got)
	}
}

func TestChildQuery(t *testing.T) {
	for _, c := range []struct{ in, m3u8, xml string }{
		{"", "", ""},
		{"token=abc", "token=abc", "token=abc"},
		{"_HLS_msn=3&token=abc&_HLS_part=1&a=77&b=2", "token=abc&b=2", "token=abc&amp;b=2"},
		{"token=a b\"<>\n'", "token=a%20b%22%3C%3E%0A%27", "token=a%20b%22%3C%3E%0A%27"},
		{"&&token=x&", "token=x", "token=x"},
		{"t=%41%2", "t=%41%2", "t=%41%2"},
	} {
		if got := childQuery(c.in, false); got != c.m3u8 {
			t.Errorf("childQuery(%q) = %q, want %q", c.in, got, c.m3u8)
		}
		if got := childQuery(c.in, true); got != c.xml {
			t.Errorf("childQuery(%q, xml) = %q, want %q", c.in, got, c.xml)
		}
	}
}

// FuzzChildQuery: whatever a viewer puts in its query, the spliced
// playlist keeps its lines and its quoted attributes, and the MPD stays
// well-formed XML.
func FuzzChildQuery(f *testing.F) {
	f.Add("token=abc&_HLS_msn=1")
	f.Add("a=\"><x/>\n#EXT-X-ENDLIST")
	pl := []byte("#EXTM3U\n#EXT-X-MAP:URI=\"init.mp4\"\n#EXTINF:2,\nseg.ts\n")
	mpd := []byte(`<MPD><SegmentTemplate initialization="i.mp4" media="s-$Number$.m4s"/></MPD>`)
	f.Fuzz(func(t *testing.T, q string) {
		out := string(withQuery(pl, childQuery(q, false)))
		if strings.Count(out, "\n") != 4 || strings.Count(out, `"`) != 2 || !strings.HasSuffix(out, "\n") {
			t.Fatalf("query %q broke the playlist:\n%s", q, out)
		}
		var doc struct {
			T struct {
				Init string `xml:"initialization,attr"`
			} `xml:"SegmentTemplate"`
		}
		x := withMPDQuery(mpd, childQuery(q, true))
		if err := xml.Unmarshal(x, &doc); err != nil || !strings.HasPrefix(doc.T.Init, "i.mp4") {
			t.Fatalf("query %q broke the MPD: %v\n%s", q, err, x)
		}
		if want := childQuery(q, false); want != "" && doc.T.Init != "i.mp4?"+want {
			t.Fatalf("MPD URI %q, want i.mp4?%s", doc.T.Init, want)
		}
	})
}

// TestGateClosesUnstreamedMPEGTS: an MPEG-TS session whose one response
// never streams (the stream is not ready, HEAD) is closed at once, not
// left open forever.
func TestGateClosesUnstreamedMPEGTS(t *testing.T) {
	gate := &fakeGate{}
	hr := newGatedHarness(t, gate)
	if resp, _ := fetch(t, hr.base+"/idle/mpegts?token=idle"); resp.StatusCode != 503 {
		t.Fatalf("idle stream: %d", resp.StatusCode)
	}
	req, _ := http.NewRequest(http.MethodHead, hr.base+"/live/bunny/mpegts?token=head", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("HEAD: %v", err)
	}
	_ = resp.Body.Close()
	for _, tok := range []string{"idle", "head"} {
		if n := gate.of(tok).closed.Load(); n != 1 {
			t.Errorf("%s: session closed %d times, want once", tok, n)
		}
	}
	if n := gate.of("t").closed.Load(); n != 0 {
		t.Errorf("a playlist closed its HTTP session")
	}
	_, _ = fetch(t, hr.base+"/live/bunny/index.m3u8?token=t")
	if n := gate.of("t").closed.Load(); n != 0 {
		t.Errorf("a playlist closed its HTTP session %d times", n)
	}
}
