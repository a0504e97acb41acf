package play

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// embedURL is the URL the embed page's player opens (its start call's
// config, unescaped).
var embedURL = regexp.MustCompile(`"url":"([^"]*)"`)

func playerURL(t *testing.T, page []byte) string {
	t.Helper()
	m := embedURL.FindSubmatch(page)
	if m == nil {
		t.Fatalf("no player URL in %s", page)
	}
	return strings.ReplaceAll(string(m[1]), `\u0026`, "&")
}

// TestEmbedPage: /NAME/embed.html is the player page, is no viewer
// itself, and its player's first request carries the page's token to the
// Gate.
func TestEmbedPage(t *testing.T) {
	gate := &fakeGate{}
	hr := newGatedHarness(t, gate)
	resp, page := getAs(t, hr.base+"/live/bunny/embed.html?token=abc&mute=true")
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != typeHTML {
		t.Fatalf("embed.html: %d %s: %s", resp.StatusCode, resp.Header.Get("Content-Type"), page)
	}
	if len(gate.seen()) != 0 {
		t.Errorf("the page was put to the Gate: %+v", gate.seen())
	}
	u := playerURL(t, page)
	if u != "index.ll.m3u8?token=abc" {
		t.Fatalf("player URL %q", u)
	}
	if resp, body := getAs(t, hr.base+"/live/bunny/"+u); resp.StatusCode != http.StatusOK {
		t.Fatalf("the page's playlist: %d %s", resp.StatusCode, body)
	}
	if v := gate.seen(); len(v) != 1 || v[0].Token != "abc" || v[0].Proto != ProtoHLS {
		t.Errorf("the playlist's viewer: %+v", v)
	}
}

// TestEmbedChoice: the player follows the query and the stream's
// `protocols` directive.
func TestEmbedChoice(t *testing.T) {
	hr := newHarness(t)
	for _, c := range []struct{ path, url string }{
		{"/live/bunny/embed.html", "index.ll.m3u8"},
		{"/live/bunny/embed.html?proto=dash&token=t", "index.mpd?token=t"},
		{"/live/bunny/embed.html?realtime=true&token=t", "mse_ld?token=t"},
		{"/live/bunny/embed.html?proto=webrtc&autoplay=false", "whep"},
		{"/nohls/embed.html?token=t", "mse_ld?token=t"}, // hls and dash are off
		{"/live/bunny/embed.html?ago=60&realtime=1", "rewind-60.m3u8"},
	} {
		resp, page := getAs(t, hr.base+c.path)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d %s", c.path, resp.StatusCode, page)
		}
		if u := playerURL(t, page); u != c.url {
			t.Errorf("%s: player URL %q, want %q", c.path, u, c.url)
		}
	}
}

// TestEmbedProtected: a protected stream's page plays its AES-128
// MPEG-TS HLS, which hls.js decrypts without the browser's EME.
func TestEmbedProtected(t *testing.T) {
	base, _, _ := protectedHarness(t)
	resp, page := getAs(t, base+"/live/bunny/embed.html?token=t")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("embed.html: %d %s", resp.StatusCode, page)
	}
	if u := playerURL(t, page); u != "index.m3u8?token=t" {
		t.Errorf("player URL %q, want index.m3u8?token=t", u)
	}
}

func TestEmbedRefuses(t *testing.T) {
	hr := newHarness(t)
	hr.streams["off"] = &fakeStream{disabled: map[string]bool{"player": true}}
	hr.streams["noplayer"] = &fakeStream{disabled: map[string]bool{
		ProtoHLS: true, ProtoDASH: true, "mseld": true, "webrtc": true,
	}}
	for _, c := range []struct {
		path string
		code int
	}{
		{"/nope/embed.html", http.StatusNotFound},
		{"/off/embed.html", http.StatusForbidden},
		{"/noplayer/embed.html", http.StatusForbidden},
		{"/live/bunny/embed.html?proto=flash", http.StatusBadRequest},
		{"/live/bunny/embed.html?x=%zz", http.StatusBadRequest},
	} {
		resp, body := getAs(t, hr.base+c.path)
		if resp.StatusCode != c.code || !strings.Contains(string(body), `"errors"`) {
			t.Errorf("%s: %d %s, want %d and an error body", c.path, resp.StatusCode, body, c.code)
		}
	}
}

// TestEmbedAssets: the page's scripts are served at one fixed path with
// long caching; an unknown one is 404.
func TestEmbedAssets(t *testing.T) {
	hr := newHarness(t)
	_, page := getAs(t, hr.base+"/live/bunny/embed.html?proto=dash")
	srcs := regexp.MustCompile(`<script src="([^"]+)"`).FindAllSubmatch(page, -1)
	if len(srcs) != 2 {
		t.Fatalf("scripts: %q", srcs)
	}
	for _, s := range srcs {
		resp, body := getAs(t, hr.base+string(s[1]))
		if resp.StatusCode != http.StatusOK || len(body) == 0 || !strings.Contains(resp.Header.Get("Cache-Control"), "max-age=") {
			t.Errorf("%s: %d, %d bytes, Cache-Control %q", s[1], resp.StatusCode, len(body), resp.Header.Get("Cache-Control"))
		}
	}
	if resp, _ := getAs(t, hr.base+"/streamhive/assets/nope.js"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown asset: %d", resp.StatusCode)
	}
}
