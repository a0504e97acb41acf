package vod

import (
	"bytes"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/valyala/fasthttp"

	"streamhive/media/vod"
	"streamhive/media/vod/vodtest"
)

// locs serves one location, "vod", from a folder.
type locs struct{ dir string }

func (l locs) Location(name string) (vod.Storage, bool) {
	return vodtest.Dir{Root: l.dir}, name == "vod"
}

// AutoMBR: the location plays folders of renditions.
func (l locs) AutoMBR(string) bool { return true }

// folder holds the reader's committed clips and a corrupt file.
func folder(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, name := range []string{"progressive.mp4", "fragmented.mp4"} {
		b, err := os.ReadFile(filepath.Join("../../media/mp4file/testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join(dir, "movies"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "movies", name), b, 0o644); err != nil {
			t.Fatal(err)
		}
		if name == "progressive.mp4" {
			if err := os.WriteFile(filepath.Join(dir, "corrupt.mp4"), b[:len(b)/2], 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	return dir
}

func get(h *Handler, uri string, header ...string) (*fasthttp.RequestCtx, bool) {
	rc := &fasthttp.RequestCtx{}
	rc.Request.SetRequestURI(uri)
	for i := 0; i+1 < len(header); i += 2 {
		rc.Request.Header.Set(header[i], header[i+1])
	}
	return rc, h.Serve(rc)
}

// TestServe: every URL of a file answers, the playlists name only URLs
// that answer, and a token in the query goes on to them.
func TestServe(t *testing.T) {
	h := New(Options{Locations: locs{folder(t)}})
	for _, file := range []string{"movies/progressive.mp4", "movies/fragmented.mp4"} {
		base := "/vod/" + file + "/"
		for _, master := range []string{"index.m3u8", "index.fmp4.m3u8"} {
			for _, uri := range follow(t, h, base, master+"?token=x") {
				rc, _ := get(h, base+uri)
				if rc.Response.StatusCode() != 200 || len(rc.Response.Body()) == 0 {
					t.Fatalf("%s%s: %d %s", base, uri, rc.Response.StatusCode(), rc.Response.Body())
				}
				if strings.HasSuffix(uri, ".ts?token=x") && rc.Response.Body()[0] != 0x47 {
					t.Errorf("%s: not MPEG-TS", uri)
				}
			}
		}
		rc, _ := get(h, base+"index.mpd")
		if !bytes.Contains(rc.Response.Body(), []byte(`type="static"`)) {
			t.Errorf("%s MPD: %s", file, rc.Response.Body())
		}
		rc, _ = get(h, base+"mpegts")
		if body := rc.Response.Body(); len(body) < 188*10 || len(body)%188 != 0 || body[0] != 0x47 {
			t.Errorf("%s mpegts: %d bytes", file, len(body))
		}
		rc, _ = get(h, "/vod/"+file, "Range", "bytes=4-11")
		if rc.Response.StatusCode() != 206 || len(rc.Response.Body()) != 8 || string(rc.Response.Body()[:4]) != "ftyp" {
			t.Errorf("%s range: %d %q", file, rc.Response.StatusCode(), rc.Response.Body())
		}
	}
}

// follow reads a playlist and every playlist it names, returning the
// media URIs (inits and segments) relative to base; URIs resolve against
// the playlist that names them, as a player resolves them.
func follow(t *testing.T, h *Handler, base, uri string) []string {
	t.Helper()
	var out []string
	for _, abs := range followAbs(t, h, resolve(t, base, uri)) {
		out = append(out, strings.TrimPrefix(abs, base))
	}
	return out
}

func followAbs(t *testing.T, h *Handler, uri string) []string {
	t.Helper()
	rc, _ := get(h, uri)
	if rc.Response.StatusCode() != 200 {
		t.Fatalf("%s: %d %s", uri, rc.Response.StatusCode(), rc.Response.Body())
	}
	var out []string
	for _, line := range strings.Split(string(rc.Response.Body()), "\n") {
		if u, ok := strings.CutPrefix(line, `#EXT-X-MAP:URI="`); ok {
			out = append(out, resolve(t, uri, strings.TrimSuffix(u, `"`)))
		}
		if i := strings.Index(line, `URI="`); i >= 0 && strings.HasPrefix(line, "#EXT-X-MEDIA") {
			out = append(out, followAbs(t, h, resolve(t, uri, strings.TrimSuffix(line[i+5:], `"`)))...)
		}
		switch {
		case line == "" || line[0] == '#':
		case strings.Contains(line, ".m3u8"):
			out = append(out, followAbs(t, h, resolve(t, uri, line))...)
		default:
			out = append(out, resolve(t, uri, line))
		}
	}
	return out
}

// resolve returns ref resolved against the URL path from.
func resolve(t *testing.T, from, ref string) string {
	t.Helper()
	b, err := url.Parse(from)
	if err != nil {
		t.Fatal(err)
	}
	r, err := url.Parse(ref)
	if err != nil {
		t.Fatal(err)
	}
	return b.ResolveReference(r).String()
}

// TestErrors: what is refused, with which status; a path outside a
// location is left to the next handler.
func TestErrors(t *testing.T) {
	dir := folder(t)
	outside := filepath.Join(t.TempDir(), "outside.mp4")
	if err := os.WriteFile(outside, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, "escape.mp4")); err != nil {
		t.Fatal(err)
	}
	h := New(Options{Locations: locs{dir}})
	for _, tc := range []struct {
		uri    string
		status int
	}{
		{"/vod/corrupt.mp4/index.m3u8", 415},
		{"/vod/missing.mp4/index.m3u8", 404},
		{"/vod/escape.mp4/index.m3u8", 403}, // a symlink out of the storage
		{"/vod/movies/progressive.mp4/seg-999.ts", 404},
		{"/vod/movies/progressive.mp4/seg-0.t9.m4s", 404},
		{"/vod/movies/progressive.mp4/init-1.t0.mp4", 404},
		{"/vod/movies/progressive.mp4/track-9.m3u8", 404},
		{"/vod/movies/progressive.mp4/nonsense", 404},
	} {
		rc, ok := get(h, tc.uri)
		if !ok || rc.Response.StatusCode() != tc.status || !bytes.Contains(rc.Response.Body(), []byte(`"errors"`)) {
			t.Errorf("%s: served %v, %d %s; want %d and an error body", tc.uri, ok, rc.Response.StatusCode(), rc.Response.Body(), tc.status)
		}
	}
	for _, uri := range []string{"/stream/index.m3u8", "/other/movies/progressive.mp4/index.m3u8", "/vod"} {
		if _, ok := get(h, uri); ok {
			t.Errorf("%s: served, want it left to streams", uri)
		}
	}
}
