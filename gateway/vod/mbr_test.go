package vod

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// mbrFolder adds to folder's clips a SMIL file listing two renditions and
// a folder of renditions named after it.
func mbrFolder(t *testing.T) string {
	t.Helper()
	dir := folder(t)
	smil := `<?xml version="1.0" encoding="UTF-8"?>
<smil title=""><body><switch>
  <video src="progressive.mp4" system-bitrate="300000"/>
  <video src="../movies/fragmented.mp4" system-bitrate="600000"/>
</switch></body></smil>`
	write := func(name string, b []byte) {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("movies/two.smil", []byte(smil))
	write("movies/bad.smil", []byte(`<smil><video src="../../../etc/passwd.mp4"/></smil>`))
	clip, err := os.ReadFile(filepath.Join(dir, "movies/progressive.mp4"))
	if err != nil {
		t.Fatal(err)
	}
	write("shows/bunny/bunny.low.mp4", clip)
	write("shows/bunny/bunny.high.mp4", clip)
	write("shows/bunny/other.mp4", clip)
	return dir
}

// TestMBR: a SMIL file and a folder of renditions each play as one
// presentation whose every URL answers; the DASH manifest has a
// representation per rendition; the first rendition's subtitles are the
// presentation's (a SUBTITLES rendition, a text AdaptationSet) and answer.
func TestMBR(t *testing.T) {
	h := New(Options{Locations: locs{mbrFolder(t)}})
	for _, base := range []string{"/vod/movies/two.smil/", "/vod/shows/bunny/"} {
		for _, master := range []string{"index.m3u8", "index.fmp4.m3u8"} {
			rc, _ := get(h, base+master)
			if !bytes.Contains(rc.Response.Body(), []byte("#EXT-X-MEDIA:TYPE=SUBTITLES")) ||
				bytes.Count(rc.Response.Body(), []byte(`SUBTITLES="subs"`)) != 2 {
				t.Fatalf("%s%s: no subtitles\n%s", base, master, rc.Response.Body())
			}
			if n := strings.Count(string(rc.Response.Body()), "#EXT-X-STREAM-INF"); n != 2 {
				t.Fatalf("%s%s: %d variants, want 2\n%s", base, master, n, rc.Response.Body())
			}
			for _, uri := range followAbs(t, h, base+master+"?token=x") {
				rc, _ := get(h, uri)
				if rc.Response.StatusCode() != 200 || len(rc.Response.Body()) == 0 || !strings.HasSuffix(uri, "?token=x") {
					t.Fatalf("%s: %d %s", uri, rc.Response.StatusCode(), rc.Response.Body())
				}
			}
		}
		rc, _ := get(h, base+"manifest.mpd")
		if n := bytes.Count(rc.Response.Body(), []byte("<Representation id=\"v")); n != 2 {
			t.Errorf("%smanifest.mpd: %d video representations, want 2\n%s", base, n, rc.Response.Body())
		}
		vtt := regexp.MustCompile(`<BaseURL>([^<]+)</BaseURL>`).FindSubmatch(rc.Response.Body())
		if vtt == nil {
			t.Fatalf("%smanifest.mpd: no text AdaptationSet\n%s", base, rc.Response.Body())
		}
		if rc, _ := get(h, resolve(t, base, string(vtt[1]))); !bytes.Contains(rc.Response.Body(), []byte("\nhello\n")) {
			t.Errorf("%s: %d %s", vtt[1], rc.Response.StatusCode(), rc.Response.Body())
		}
	}
	rc, _ := get(h, "/vod/movies/two.smil/index.m3u8")
	if !bytes.Contains(rc.Response.Body(), []byte("BANDWIDTH=300000")) ||
		!bytes.Contains(rc.Response.Body(), []byte("../../movies/progressive.mp4/mono.m3u8")) {
		t.Errorf("SMIL master:\n%s", rc.Response.Body())
	}
	for uri, status := range map[string]int{
		"/vod/movies/bad.smil/index.m3u8":  403,
		"/vod/movies/none.smil/index.m3u8": 404,
		"/vod/movies/two.smil/mono.m3u8":   404,
		"/vod/shows/empty/index.m3u8":      404,
	} {
		if rc, ok := get(h, uri); !ok || rc.Response.StatusCode() != status {
			t.Errorf("%s: %v %d %s, want %d", uri, ok, rc.Response.StatusCode(), rc.Response.Body(), status)
		}
	}
}
