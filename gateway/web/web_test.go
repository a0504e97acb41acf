package web

import (
	"encoding/json"
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/valyala/fasthttp"
)

func TestParse(t *testing.T) {
	for _, c := range []struct {
		raw  string
		want Options
	}{
		{"", Options{Autoplay: true, Volume: -1}},
		{"token=abc", Options{Autoplay: true, Volume: -1, Query: "token=abc"}},
		{
			"proto=dash&autoplay=false&mute=true&volume=30&token=a%2Bb&play_duration=60&x=1",
			Options{Proto: DASH, Mute: true, Volume: 30, PlayDuration: 60, Query: "token=a%2Bb&x=1"},
		},
		{"realtime=true&token=t", Options{Realtime: true, Autoplay: true, Volume: -1, Query: "token=t"}},
		{"realtime&mute", Options{Realtime: true, Mute: true, Autoplay: true, Volume: -1}},
		{"proto=WEBRTC&autoplay=0", Options{Proto: WebRTC, Volume: -1}},
		{"proto=mse_ld&dvr=true&localtime=false", Options{Proto: MSELD, Autoplay: true, Volume: -1}},
		{"from=100&to=160&token=t", Options{Autoplay: true, Volume: -1, From: 100, To: 160, Query: "token=t"}},
		{"ago=3600", Options{Autoplay: true, Volume: -1, Ago: 3600}},
		{"&&token=t&&", Options{Autoplay: true, Volume: -1, Query: "token=t"}},
	} {
		got, err := Parse(c.raw)
		if err != nil || got != c.want {
			t.Errorf("Parse(%q) = %+v, %v; want %+v", c.raw, got, err, c.want)
		}
	}
}

func TestParseRefuses(t *testing.T) {
	for _, raw := range []string{
		"proto=rtmp", "autoplay=maybe", "volume=101", "volume=-1", "play_duration=x",
		"token=%zz", "%zz=1", "to=5", "from=5&to=5", "from=1&ago=3", "ago=-1", "from=1099511627777", strings.Repeat("a", maxQuery+1), strings.Repeat("a=1&", maxPairs),
	} {
		if _, err := Parse(raw); !errors.Is(err, ErrQuery) {
			t.Errorf("Parse(%.40q): %v, want ErrQuery", raw, err)
		}
	}
}

// only enables the protocols named.
func only(names ...string) func(string) bool {
	return func(p string) bool {
		for _, n := range names {
			if n == p {
				return true
			}
		}
		return false
	}
}

func TestChoose(t *testing.T) {
	all := func(string) bool { return true }
	for _, c := range []struct {
		o       Options
		enabled func(string) bool
		want    Player
	}{
		{Options{}, all, HLS},
		{Options{Proto: DASH}, all, DASH},
		{Options{Proto: WebRTC}, all, WebRTC},
		{Options{Realtime: true}, all, MSELD},
		{Options{Realtime: true, Proto: WebRTC}, all, WebRTC},
		{Options{Realtime: true}, only("webrtc", "hls"), WebRTC},
		{Options{}, only("dash"), DASH},
		{Options{Proto: HLS}, only("dash", "webrtc"), DASH}, // proto off: the next that works
		{Options{Realtime: true}, only("hls"), HLS},
		{Options{Realtime: true, From: 5}, all, HLS}, // the archive: HLS or DASH
		{Options{Proto: WebRTC, Ago: 60}, all, HLS},
		{Options{Proto: DASH, From: 5}, all, DASH},
	} {
		got, err := Choose(c.o, c.enabled)
		if err != nil || got != c.want {
			t.Errorf("Choose(%+v) = %q, %v; want %q", c.o, got, err, c.want)
		}
	}
	if _, err := Choose(Options{Proto: HLS}, only("tshttp", "jpeg")); !errors.Is(err, ErrDisabled) {
		t.Errorf("no player enabled: %v, want ErrDisabled", err)
	}
}

var startCall = regexp.MustCompile(`StreamHiveEmbed\.start\([^,]+, [^,]+, (\{.*\})\);`)

// pageOf renders a page and returns its HTML and the config its script
// starts with.
func pageOf(t *testing.T, name string, p Player, o Options) (string, pageConfig) {
	t.Helper()
	html := string(Page(name, p, o))
	m := startCall.FindStringSubmatch(html)
	if m == nil {
		t.Fatalf("no start call in %s", html)
	}
	var cfg pageConfig
	if err := json.Unmarshal([]byte(m[1]), &cfg); err != nil {
		t.Fatalf("config %s: %v", m[1], err)
	}
	return html, cfg
}

func TestPage(t *testing.T) {
	for _, c := range []struct {
		p       Player
		url     string
		script  string // a script the page must load
		without string // one it must not
	}{
		{HLS, "index.ll.m3u8?token=a%2Bb&x=%3C%2Fscript%3E", "hls.min.js", "dash.mediaplayer.min.js"},
		{DASH, "index.mpd?token=a%2Bb&x=%3C%2Fscript%3E", "dash.mediaplayer.min.js", "hls.min.js"},
		{MSELD, "mse_ld?token=a%2Bb&x=%3C%2Fscript%3E", "mseld-player.js", "hls.min.js"},
		{WebRTC, "whep?token=a%2Bb&x=%3C%2Fscript%3E", "embed.js", "dash.mediaplayer.min.js"},
	} {
		o, err := Parse("mute=1&volume=5&token=a%2Bb&x=%3C%2Fscript%3E&realtime=1")
		if err != nil {
			t.Fatal(err)
		}
		html, cfg := pageOf(t, "live/a&b", c.p, o)
		want := pageConfig{Player: c.p, URL: c.url, Autoplay: true, Mute: true, Volume: 5, Realtime: true}
		if c.p == HLS {
			want.NativeURL, want.LowLatency = "index.m3u8?token=a%2Bb&x=%3C%2Fscript%3E", true
		}
		if cfg != want {
			t.Errorf("%s: config %+v, want %+v", c.p, cfg, want)
		}
		if !strings.Contains(html, `src="`+assetURL(c.script)+`"`) || strings.Contains(html, c.without) {
			t.Errorf("%s: scripts wrong (want %s, not %s):\n%s", c.p, c.script, c.without, html)
		}
		if strings.Contains(html, "http:") || strings.Contains(html, "https:") || strings.Contains(html, `"//`) {
			t.Errorf("%s: the page names another host:\n%s", c.p, html)
		}
		if !strings.Contains(html, "<title>live/a&amp;b</title>") || !strings.Contains(html, " muted") {
			t.Errorf("%s: title or muted missing:\n%s", c.p, html)
		}
	}
}

// TestPageProtected: a protected stream's hls.js plays index.m3u8
// (AES-128 MPEG-TS, which hls.js decrypts itself), not LL-HLS.
func TestPageProtected(t *testing.T) {
	o, err := Parse("token=t")
	if err != nil {
		t.Fatal(err)
	}
	o.Protected = true
	want := pageConfig{Player: HLS, URL: "index.m3u8?token=t", Autoplay: true, Volume: -1}
	if _, cfg := pageOf(t, "cam", HLS, o); cfg != want {
		t.Errorf("config %+v, want %+v", cfg, want)
	}
}

// TestPageArchive: from, to and ago open Flussonic's archive URLs.
func TestPageArchive(t *testing.T) {
	for _, c := range []struct {
		query string
		p     Player
		url   string
	}{
		{"from=1700000000&to=1700000600&token=t", HLS, "archive-1700000000-600.m3u8?token=t"},
		{"from=1700000000&to=1700000600", DASH, "archive-1700000000-600.mpd"},
		{"from=1700000000", HLS, "timeshift_abs-1700000000.m3u8"},
		{"from=1700000000", DASH, "timeshift_abs-1700000000.mpd"},
		{"ago=7200&token=t", HLS, "rewind-7200.m3u8?token=t"},
		{"ago=7200", DASH, "rewind-7200.mpd"},
	} {
		o, err := Parse(c.query)
		if err != nil {
			t.Fatal(err)
		}
		if _, cfg := pageOf(t, "cam", c.p, o); cfg.URL != c.url {
			t.Errorf("%s over %s: %q, want %q", c.query, c.p, cfg.URL, c.url)
		}
	}
}

func get(path, ifNoneMatch string) *fasthttp.RequestCtx {
	var rc fasthttp.RequestCtx
	rc.Request.SetRequestURI(path)
	if ifNoneMatch != "" {
		rc.Request.Header.Set(fasthttp.HeaderIfNoneMatch, ifNoneMatch)
	}
	ServeAsset(&rc, strings.TrimPrefix(string(rc.Path()), AssetPrefix))
	return &rc
}

func TestServeAsset(t *testing.T) {
	for _, name := range []string{"hls.min.js", "dash.mediaplayer.min.js", "embed.js", "mseld-player.js", "hls.min.js.LICENSE"} {
		rc := get(AssetPrefix+name, "")
		r := &rc.Response
		if r.StatusCode() != fasthttp.StatusOK || len(r.Body()) < 100 {
			t.Fatalf("%s: %d, %d bytes", name, r.StatusCode(), len(r.Body()))
		}
		if strings.HasSuffix(name, ".js") && !strings.HasPrefix(string(r.Header.ContentType()), "text/javascript") {
			t.Errorf("%s: Content-Type %s", name, r.Header.ContentType())
		}
		if cc := string(r.Header.Peek(fasthttp.HeaderCacheControl)); cc != cacheAsset {
			t.Errorf("%s: Cache-Control %q", name, cc)
		}
		etag := string(r.Header.Peek(fasthttp.HeaderETag))
		if !strings.Contains(assetURL(name), "?v="+strings.Trim(etag, `"`)) {
			t.Errorf("%s: URL %s does not name ETag %s", name, assetURL(name), etag)
		}
		if again := get(AssetPrefix+name, etag); again.Response.StatusCode() != fasthttp.StatusNotModified || len(again.Response.Body()) != 0 {
			t.Errorf("%s: If-None-Match: %d", name, again.Response.StatusCode())
		}
	}
	for _, name := range []string{"nope.js", "", "../page.go", "assets/embed.js"} {
		if rc := get(AssetPrefix+name, ""); rc.Response.StatusCode() != fasthttp.StatusNotFound {
			t.Errorf("%q: %d, want 404", name, rc.Response.StatusCode())
		}
	}
}

// TestVendoredLibraries: the player libraries are the minified builds
// of their npm packages, with their licences beside them.
func TestVendoredLibraries(t *testing.T) {
	for name, marker := range map[string]string{
		"hls.min.js":              "Hls",
		"dash.mediaplayer.min.js": "dashjs",
	} {
		a, ok := assets()[name]
		if !ok || !strings.Contains(string(a.body), marker) {
			t.Errorf("%s missing or not the library", name)
		}
		if _, ok := assets()[name+".LICENSE"]; !ok {
			t.Errorf("%s has no licence file", name)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"", "token=a", "proto=dash&mute&volume=10", "realtime=1&x=%41", "%zz", "play_duration=99999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		o, err := Parse(raw)
		if err != nil {
			return
		}
		if len(o.Query) > len(raw) || o.Volume < -1 || o.Volume > 100 || o.PlayDuration < 0 {
			t.Fatalf("Parse(%q) = %+v", raw, o)
		}
		p, err := Choose(o, func(string) bool { return true })
		if err != nil {
			t.Fatal(err)
		}
		_ = Page("s", p, o)
	})
}

// TestServeUI: "/" is the UI's page, loading its script, styles and
// hls.js from the asset path (content-hashed URLs), under a policy that
// allows no other origin.
func TestServeUI(t *testing.T) {
	var rc fasthttp.RequestCtx
	rc.Request.SetRequestURI("/")
	ServeUI(&rc)
	r := &rc.Response
	body := string(r.Body())
	if r.StatusCode() != fasthttp.StatusOK || !strings.HasPrefix(string(r.Header.ContentType()), "text/html") {
		t.Fatalf("%d %s", r.StatusCode(), r.Header.ContentType())
	}
	for _, name := range []string{"ui.js", "ui.css", "hls.min.js"} {
		if !strings.Contains(body, `"`+assetURL(name)+`"`) {
			t.Errorf("the page does not load %s (%s):\n%s", name, assetURL(name), body)
		}
		if _, ok := assets()[name]; !ok {
			t.Errorf("asset %s missing", name)
		}
	}
	if strings.Contains(body, "http:") || strings.Contains(body, "https:") || strings.Contains(body, `"//`) {
		t.Errorf("the page names another host:\n%s", body)
	}
	csp := string(r.Header.Peek("Content-Security-Policy"))
	if !strings.Contains(csp, "default-src 'self'") || !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe") {
		t.Errorf("Content-Security-Policy %q", csp)
	}
	if cc := string(r.Header.Peek(fasthttp.HeaderCacheControl)); cc != "no-cache" {
		t.Errorf("Cache-Control %q", cc)
	}
	if !strings.Contains(body, `id="app"`) || !strings.Contains(body, `id="login"`) {
		t.Errorf("the page lacks its app or sign-in form:\n%s", body)
	}
}
