package play

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"streamhive/gateway/web"
	"streamhive/media/segment"
	"streamhive/media/tsselect"
)

// TestEndpoints checks every endpoint's status, headers and body shape
// over real HTTP.
func TestEndpoints(t *testing.T) {
	hr := newHarness(t)
	isM3U8 := prefix("#EXTM3U\n")
	cases := []struct {
		path   string
		status int
		ctype  string
		cache  string
		body   func([]byte) bool // nil: not checked
	}{
		{"/live/bunny/index.m3u8", 200, typeM3U8, cacheNone, and(isM3U8, has(`CODECS="avc1.`), has("RESOLUTION=320x180"), has("\nmono.m3u8\n"))},
		{"/live/bunny/index.fmp4.m3u8", 200, typeM3U8, cacheNone, and(isM3U8, has("#EXT-X-MEDIA:TYPE=AUDIO"), has("\ntrack-0.m3u8\n"))},
		{"/live/bunny/index.ll.m3u8", 200, typeM3U8, cacheNone, and(isM3U8, has(`URI="track-1.ll.m3u8"`), has("\ntrack-0.ll.m3u8\n"))},
		{"/live/bunny/mono.m3u8", 200, typeM3U8, cacheNone, and(isM3U8, has("\nseg-0.ts\n"), not(has("#EXT-X-PART:")))},
		{"/live/bunny/mono.ll.m3u8", 200, typeM3U8, cacheNone, and(isM3U8, has("#EXT-X-PART:"), has(".ts\""), has("#EXT-X-PRELOAD-HINT:"))},
		{"/live/bunny/track-0.m3u8", 200, typeM3U8, cacheNone, and(isM3U8, has(`#EXT-X-MAP:URI="init-0.t0.mp4"`), has("\nseg-1.t0.m4s\n"))},
		{"/live/bunny/track-1.ll.m3u8", 200, typeM3U8, cacheNone, and(isM3U8, has(`init-0.t1.mp4`), has(".t1.m4s\""))},
		{"/live/bunny/video.m3u8", 200, typeM3U8, cacheNone, and(isM3U8, has("\ntracks-v1a1/seg-1.ts\n"), not(has("#EXT-X-MAP")))},
		{"/live/bunny/tracks-v1/mono.m3u8", 200, typeM3U8, cacheNone, and(isM3U8, has("\nseg-1.ts\n"))},
		{"/live/bunny/tracks-a1/mono.ll.m3u8", 200, typeM3U8, cacheNone, and(isM3U8, has("#EXT-X-PART:"), has(".ts\""))},
		{"/live/bunny/tracks-a1/index.m3u8", 200, typeM3U8, cacheNone, and(isM3U8, has(`CODECS="mp4a.40.2"`), not(has("RESOLUTION")), has("\nmono.m3u8\n"))},
		{"/live/bunny/tracks-v1a1/index.m3u8", 200, typeM3U8, cacheNone, and(isM3U8, has(`CODECS="avc1.`), has("RESOLUTION=320x180"))},
		{"/live/bunny/tracks-v1/seg-1.ts", 200, typeTS, cacheSegment, and(isTS, streams(1))},
		{"/live/bunny/tracks-a1/seg-1.ts", 200, typeTS, cacheSegment, and(isTS, streams(1))},
		{"/live/bunny/tracks-a1v1/seg-1.ts", 200, typeTS, cacheSegment, and(isTS, streams(2))},
		{"/live/bunny/tracks-a1/seg-1.part-1.ts", 200, typeTS, cacheSegment, isTS},
		{"/live/bunny/tracks-a2/mono.m3u8", 404, "application/json", "", isError("404", codeNotFound)},
		{"/live/bunny/tracks-v2/seg-1.ts", 404, "application/json", "", isError("404", codeNotFound)},
		{"/live/bunny/tracks-v1/seg-1.t0.m4s", 404, "application/json", "", isError("404", codeNotFound)},
		{"/nohls/tracks-v1/mono.m3u8", 403, "application/json", "", isError("403", codeDisabled)},
		{"/live/bunny/track-5.m3u8", 404, "application/json", "", isError("404", codeNotFound)},
		{"/live/bunny/seg-1.ts", 200, typeTS, cacheSegment, isTS},
		{"/live/bunny/seg-1.part-0.ts", 200, typeTS, cacheSegment, isTS},
		{"/live/bunny/seg-1.t0.m4s", 200, typeSegment, cacheSegment, box("moof")},
		{"/live/bunny/seg-1.part-1.t1.m4s", 200, typeSegment, cacheSegment, box("moof")},
		{"/live/bunny/init-0.t0.mp4", 200, typeVideoMP, cacheSegment, box("ftyp")},
		{"/live/bunny/init-0.t1.mp4", 200, typeAudioMP, cacheSegment, box("ftyp")},
		{"/live/bunny/dash-seg-1.t0.m4s", 200, typeSegment, cacheSegment, box("moof")},
		{"/live/bunny/dash-init-0.t1.mp4", 200, typeAudioMP, cacheSegment, box("ftyp")},
		{"/live/bunny/dash-seg-1.ts", 404, "application/json", "", isError("404", codeNotFound)},
		{"/live/bunny/dash-seg-1.part-0.t0.m4s", 404, "application/json", "", isError("404", codeNotFound)},
		{"/live/bunny/init-7.t0.mp4", 404, "application/json", "", isError("404", codeNotFound)},
		{"/live/bunny/seg-0.t9.m4s", 404, "application/json", "", isError("404", codeNotFound)},
		{"/live/bunny/seg-1.part-10.ts", 404, "application/json", "", isError("404", codeNotFound)},
		{"/live/bunny/seg-100.ts", 404, "application/json", "", isError("404", codeNotFound)},
		{"/live/bunny/index.mpd", 200, typeMPD, cacheNone, and(prefix("<?xml"), has(`type="dynamic"`), has(`media="dash-seg-$Number$.t0.m4s"`), has(`initialization="dash-init-0.t0.mp4"`))},
		{"/live/bunny/Manifest.mpd", 200, typeMPD, cacheNone, and(prefix("<?xml"), has(`type="dynamic"`))},
		{"/live/bunny/preview.jpg", 200, typeJPEG, cacheNone, prefix("\xff\xd8")},
		{"/live/bunny/mono.m3u8?_HLS_part=1", 400, "application/json", "", isError("400", codeBadReload)},
		{"/live/bunny/mono.m3u8?_HLS_msn=x", 400, "application/json", "", isError("400", codeBadReload)},
		{"/live/bunny/track-0.ll.m3u8?_HLS_msn=100", 400, "application/json", "", isError("400", codeBadReload)},
		{"/nope/index.m3u8", 404, "application/json", "", isError("404", codeNotFound)},
		{"/live/nope/index.m3u8", 404, "application/json", "", isError("404", codeNotFound)},
		{"/live/bunny/notes.txt", 404, "application/json", "", isError("404", codeNotFound)},
		{"/index.m3u8", 404, "application/json", "", isError("404", codeNotFound)},
		{"/", 200, typeHTML, "no-cache", and(prefix("<!doctype html>"), has(`id="app"`), has(web.AssetPrefix+"ui.js?v="))}, // the web UI
		{"/index.html", 404, "application/json", "", isError("404", codeNotFound)},
		{"/nohls/index.m3u8", 403, "application/json", "", isError("403", codeDisabled)},
		{"/nohls/seg-1.ts", 403, "application/json", "", isError("403", codeDisabled)},
		{"/nohls/seg-1.t0.m4s", 403, "application/json", "", isError("403", codeDisabled)},
		{"/nohls/dash-seg-1.t0.m4s", 403, "application/json", "", isError("403", codeDisabled)},
		{"/nohls/index.mpd", 403, "application/json", "", isError("403", codeDisabled)},
		{"/nohls/mpegts", 403, "application/json", "", isError("403", codeDisabled)},
		{"/nohls/preview.jpg", 403, "application/json", "", isError("403", codeDisabled)},
		{"/idle/seg-0.ts", 503, "application/json", cacheNone, isError("503", codeNotReady)},
		{"/fresh/seg-0.ts", 503, "application/json", cacheNone, isError("503", codeNotReady)},
		{"/fresh/init-0.t0.mp4", 503, "application/json", cacheNone, isError("503", codeNotReady)},
		{"/idle/preview.jpg", 503, "application/json", cacheNone, isError("503", codeNotReady)},
	}
	for _, c := range cases {
		t.Run(c.path, func(t *testing.T) {
			t.Parallel()
			resp, body := hr.get(t, c.path)
			checkResponse(t, resp, body, c.status, c.ctype, c.cache, c.body)
		})
	}
}

// TestNotReady: a configured stream that has not produced answers its
// playlists with 503 and Retry-After once the ready timeout has passed,
// not before and not much after.
func TestNotReady(t *testing.T) {
	t.Parallel()
	hr := newHarness(t)
	for _, path := range []string{
		"/idle/index.m3u8", "/idle/mono.ll.m3u8", "/idle/index.mpd", "/idle/mpegts", "/idle/mono.m3u8?_HLS_msn=3",
		"/fresh/track-0.m3u8", "/fresh/video.m3u8", "/fresh/index.ll.m3u8", "/fresh/index.mpd", "/fresh/mpegts",
	} {
		t.Run(path, func(t *testing.T) {
			t.Parallel()
			start := time.Now()
			resp, body := hr.get(t, path)
			took := time.Since(start)
			checkResponse(t, resp, body, 503, "application/json", cacheNone, isError("503", codeNotReady))
			if resp.Header.Get("Retry-After") == "" {
				t.Error("no Retry-After")
			}
			if took < testReady-50*time.Millisecond || took > testReady+time.Second {
				t.Errorf("answered after %v, want about the ready timeout %v", took, testReady)
			}
		})
	}
}

// TestBecomesReady: a playlist request that arrives before the stream's
// first segment waits, and is answered as soon as the segment exists.
func TestBecomesReady(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		st := &fakeStream{}
		h := New(Options{Streams: fakeStreams{"late": st}, ReadyTimeout: 5 * time.Second})
		base, c := serveMem(t, h)
		got := getAsync(c, base+"/late/index.m3u8")
		synctest.Wait() // the request found no segmenter and waits
		pending(t, "before the stream produced", map[string]<-chan answer{"playlist": got})
		startLive(t, st, segment.Config{})
		synctest.Wait()
		select {
		case a := <-got:
			if a.err != nil {
				t.Fatal(a.err)
			}
			checkResponse(t, a.resp, a.body, 200, typeM3U8, cacheNone, has("mono.m3u8"))
		default:
			t.Fatal("no answer once the stream produced")
		}
	})
}

func TestMethods(t *testing.T) {
	hr := newHarness(t)
	resp, err := http.Post(hr.base+"/live/bunny/index.m3u8", "text/plain", strings.NewReader("x"))
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != 405 || resp.Header.Get("Allow") == "" {
		t.Errorf("POST: got %d Allow %q, want 405 with Allow", resp.StatusCode, resp.Header.Get("Allow"))
	}
	req, _ := http.NewRequest(http.MethodOptions, hr.base+"/live/bunny/index.m3u8", nil)
	req.Header.Set("Origin", "https://player.example")
	req.Header.Set("Access-Control-Request-Method", "GET")
	req.Header.Set("Access-Control-Request-Headers", "range")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != 204 || resp.Header.Get("Access-Control-Allow-Origin") != "*" ||
		!strings.Contains(resp.Header.Get("Access-Control-Allow-Methods"), "GET") ||
		resp.Header.Get("Access-Control-Allow-Headers") != "range" {
		t.Errorf("preflight: got %d %v", resp.StatusCode, resp.Header)
	}
	resp, err = http.Head(hr.base + "/live/bunny/seg-1.ts")
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != 200 || resp.ContentLength <= 0 {
		t.Errorf("HEAD segment: got %d, length %d", resp.StatusCode, resp.ContentLength)
	}
}

func checkResponse(t *testing.T, resp *http.Response, body []byte, status int, ctype, cache string, ok func([]byte) bool) {
	t.Helper()
	if resp.StatusCode != status {
		t.Errorf("status: got %d want %d; body %.200q", resp.StatusCode, status, body)
	}
	if got := resp.Header.Get("Content-Type"); !strings.HasPrefix(got, ctype) {
		t.Errorf("Content-Type: got %q want %q", got, ctype)
	}
	if got := resp.Header.Get("Cache-Control"); cache != "" && got != cache {
		t.Errorf("Cache-Control: got %q want %q", got, cache)
	}
	if got := resp.Header.Get("Access-Control-Allow-Origin"); got != "*" {
		t.Errorf("Access-Control-Allow-Origin: got %q want *", got)
	}
	if ok != nil && !ok(body) {
		t.Errorf("unexpected body: %.400q", body)
	}
}

// Body predicates.

func prefix(p string) func([]byte) bool {
	return func(b []byte) bool { return bytes.HasPrefix(b, []byte(p)) }
}

func has(s string) func([]byte) bool {
	return func(b []byte) bool { return bytes.Contains(b, []byte(s)) }
}

func not(f func([]byte) bool) func([]byte) bool { return func(b []byte) bool { return !f(b) } }

func and(fs ...func([]byte) bool) func([]byte) bool {
	return func(b []byte) bool {
		for _, f := range fs {
			if !f(b) {
				return false
			}
		}
		return true
	}
}

// isTS: whole 188-byte packets, each starting with the sync byte.
func isTS(b []byte) bool {
	if len(b) == 0 || len(b)%188 != 0 {
		return false
	}
	for i := 0; i < len(b); i += 188 {
		if b[i] != 0x47 {
			return false
		}
	}
	return true
}

// streams: an MPEG-TS whose PMT lists n elementary streams.
func streams(n int) func([]byte) bool {
	return func(b []byte) bool {
		p, err := tsselect.ReadProgram(b)
		return err == nil && len(p.Streams) == n
	}
}

// box: an ISO BMFF file starting with box typ.
func box(typ string) func([]byte) bool {
	return func(b []byte) bool { return len(b) > 8 && string(b[4:8]) == typ }
}

// isError: the Control API's error_response with one error.
func isError(status, code string) func([]byte) bool {
	return func(b []byte) bool {
		var e struct {
			Errors []struct{ Status, Code, Title string } `json:"errors"`
		}
		if json.Unmarshal(b, &e) != nil || len(e.Errors) != 1 {
			return false
		}
		return e.Errors[0].Status == status && e.Errors[0].Code == code && e.Errors[0].Title != ""
	}
}
