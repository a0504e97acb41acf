//go:build e2e

package main

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestServerPlaysVOD: the real server serves a disk location and an HTTP
// location (a file server on loopback, read by ranges through a disk
// cache) at Flussonic's VOD URLs: HLS, DASH and MPEG-TS decode with ffmpeg,
// the file itself is served with ranges where download is on; the /vods
// API lists the file and counts it opened; a vod:// input plays the file
// as a live stream over HLS; paths leaving a storage are refused.
func TestServerPlaysVOD(t *testing.T) {
	clip, err := os.ReadFile("../../media/mp4file/testdata/progressive.mp4")
	if err != nil {
		t.Fatal(err)
	}
	disk, web, outside := t.TempDir(), t.TempDir(), t.TempDir()
	for _, f := range []string{filepath.Join(disk, "x.mp4"), filepath.Join(web, "y.mp4"), filepath.Join(outside, "secret.mp4")} {
		if err := os.WriteFile(f, clip, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(filepath.Join(outside, "secret.mp4"), filepath.Join(disk, "escape.mp4")); err != nil {
		t.Fatal(err)
	}
	origin := httptest.NewServer(http.FileServer(http.Dir(web)))
	t.Cleanup(origin.Close)
	port := freePort(t)
	p := start(t, port, "-config", writeConfig(t, t.TempDir(), port, fmt.Sprintf(`vod movies { storage %s; download; segment_duration 1; }
vod web { storage %s/; cache %s; }
stream fromvod { input vod://movies/x.mp4; segment_duration 1; }
`, disk, origin.URL, t.TempDir())))

	movie := p.base + "/movies/x.mp4/"
	urls := []string{movie + "index.m3u8", movie + "index.fmp4.m3u8", movie + "manifest.mpd", movie + "mpegts", p.base + "/web/y.mp4/index.m3u8"}
	waitPlaylist(t, p.base+"/fromvod/mono.m3u8")
	decodeAll(t, append(urls, p.base+"/fromvod/index.m3u8")...)
	if got := probeCodecs(t, p.base+"/web/y.mp4/mpegts"); !strings.HasPrefix(got, "h264,aac") {
		t.Errorf("mpegts codecs %q", got)
	}

	for uri, want := range map[string]int{
		"/movies/x.mp4":                  http.StatusOK, // download
		"/web/y.mp4":                     http.StatusForbidden,
		"/movies/escape.mp4/index.m3u8":  http.StatusForbidden,
		"/movies/none.mp4/index.m3u8":    http.StatusNotFound,
		"/movies/../../etc/x.mp4/mpegts": http.StatusNotFound, // resolved by the server, then no location
		"/streamer/api/v3/vods/movies/storages/0/files/escape.mp4": http.StatusBadRequest,
		"/streamer/api/v3/vods/movies/storages/0/files/..%2Fx.mp4": http.StatusNotFound, // resolved too
	} {
		if code, body := p.do("GET", uri, "", ""); code != want {
			t.Errorf("%s: %d, want %d: %.200s", uri, code, want, body)
		}
	}
	if code := rawGet(t, p.base, "/movies/sub/../../../etc/passwd.mp4"); code == 200 {
		t.Errorf("a raw .. path answered %d", code)
	}
	code, body := p.do("GET", "/streamer/api/v3/vods/movies/storages/0/files", "", "")
	if code != 200 || !strings.Contains(body, `"x.mp4"`) {
		t.Errorf("file listing: %d %s", code, body)
	}
	code, body = p.do("GET", "/streamer/api/v3/vods/opened_files", "", "")
	if code != 200 || !strings.Contains(body, `"x.mp4"`) || !strings.Contains(body, `"y.mp4"`) {
		t.Errorf("opened files: %d %s", code, body)
	}
}

// rawGet sends uri as written (no client cleans it) and returns the status.
func rawGet(t *testing.T, base, uri string) int {
	t.Helper()
	c, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = c.Close() }()
	if _, err := fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", uri); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	return resp.StatusCode
}
