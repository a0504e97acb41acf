package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestServeConn reads answers of both framings on one keep-alive
// connection: a Content-Length body, a chunked one, an error status.
func TestServeConn(t *testing.T) {
	body := strings.Repeat("x", 300<<10) // larger than the sink
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/length":
			w.Header().Set("Content-Length", "307200")
			_, _ = w.Write([]byte(body))
		case "/chunked":
			for range 3 {
				_, _ = w.Write([]byte(body[:1000]))
				w.(http.Flusher).Flush()
			}
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	c := newServeConn(strings.TrimPrefix(srv.URL, "http://"))
	defer c.close()
	for _, tc := range []struct {
		path   string
		status int
		n      int64
	}{
		{"/length", 200, 300 << 10},
		{"/chunked", 200, 3000},
		{"/missing", 404, int64(len("404 page not found\n"))},
		{"/length", 200, 300 << 10},
	} {
		status, n, err := c.get(tc.path)
		if err != nil || status != tc.status || n != tc.n {
			t.Errorf("get %s = %d, %d, %v; want %d, %d", tc.path, status, n, err, tc.status, tc.n)
		}
	}
}

// TestParsePlaylistGap: a segment after EXT-X-GAP is listed and marked.
func TestParsePlaylistGap(t *testing.T) {
	pl, err := parsePlaylist("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-GAP\n#EXTINF:2,\ngap.mp4\n#EXTINF:2,\nseg1.mp4\n")
	if err != nil {
		t.Fatal(err)
	}
	if got := present(pl.Media); len(got) != 1 || got[0] != "seg1.mp4" || len(pl.Media.Segments) != 2 {
		t.Errorf("segments %q, present %q", pl.Media.Segments, got)
	}
}
