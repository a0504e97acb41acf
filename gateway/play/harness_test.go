package play

import (
	"context"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/valyala/fasthttp"
	"github.com/valyala/fasthttp/fasthttputil"

	"streamhive/actors/sessions"
	"streamhive/media/preview"
	"streamhive/media/segment"
)

// harness is a real fasthttp server on 127.0.0.1 serving a Handler over
// fake streams:
//
//	live/bunny  producing: the clip, preroll then real time
//	idle        configured, never producing, no segmenter
//	fresh       a segmenter that has not been told its tracks
//	nohls       producing, with hls, dash, tshttp and jpeg all disabled
type harness struct {
	base    string // http://127.0.0.1:PORT
	h       *Handler
	streams fakeStreams
	live    *segment.Segmenter
}

// testReady is the harness's ReadyTimeout: short, so not-ready tests are quick.
const testReady = 400 * time.Millisecond

func newHarness(t testing.TB) *harness {
	t.Helper()
	return newGatedHarness(t, nil)
}

// newGatedHarness is newHarness with every request through gate.
func newGatedHarness(t testing.TB, gate sessions.Gate) *harness {
	t.Helper()
	live := &fakeStream{preview: testJPEG(t)}
	nohls := &fakeStream{disabled: map[string]bool{ProtoHLS: true, ProtoDASH: true, ProtoTSHTTP: true, ProtoJPEG: true}}
	fresh := &fakeStream{}
	fresh.set(segment.New(segment.Config{}))
	// thumbs announces an image track; nothumbs has its thumbnails off.
	thumbs := &fakeStream{preview: live.preview, boxes: []preview.Box{{W: 320, H: 180}}}
	nothumbs := &fakeStream{preview: live.preview, thumbsOff: true}
	streams := fakeStreams{"live/bunny": live, "idle": {}, "nohls": nohls, "fresh": fresh, "thumbs": thumbs, "nothumbs": nothumbs}
	hr := &harness{streams: streams}
	hr.live = startLive(t, live, segment.Config{})
	nohls.set(hr.live)
	thumbs.set(hr.live)
	nothumbs.set(hr.live)
	hr.h = New(Options{Streams: streams, ReadyTimeout: testReady, Gate: gate})
	hr.base = serve(t, hr.h)
	return hr
}

// serve runs h on a fresh listener until the test ends.
func serve(t testing.TB, h *Handler) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &fasthttp.Server{Handler: h.Serve, Name: "play-test"}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	t.Cleanup(func() {
		h.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.ShutdownWithContext(ctx); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		<-done
	})
	return "http://" + ln.Addr().String()
}

// serveMem runs h on an in-memory listener until the test ends and
// returns its base URL and a client that dials it. It is serve for a test
// in a synctest bubble, where a real socket never blocks durably: call it
// inside the bubble, which then holds the server, its connections and the
// client's.
func serveMem(t testing.TB, h *Handler) (string, *http.Client) {
	t.Helper()
	ln := fasthttputil.NewInmemoryListener()
	// NoDefaultDate: the Date header's clock is a process-wide goroutine
	// that fasthttp starts with the first response and that ticks forever;
	// started in a bubble, it would keep the bubble from ever ending.
	const idle = 10 * time.Second // the worker pool's cleaner sleeps this long
	srv := &fasthttp.Server{Handler: h.Serve, Name: "play-test", NoDefaultDate: true, MaxIdleWorkerDuration: idle}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	t.Cleanup(func() {
		h.Close()
		if err := srv.Shutdown(); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		// Shutdown closes only a listener that Serve has taken.
		_ = ln.Close()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
		time.Sleep(idle) // fake time: the cleaner sees the pool stopped and ends
	})
	c := &http.Client{Transport: &http.Transport{
		DialContext:       func(context.Context, string, string) (net.Conn, error) { return ln.Dial() },
		DisableKeepAlives: true, // no idle connection outlives its request
	}}
	return "http://play", c
}

// get fetches path and returns the response with its body read.
func (hr *harness) get(t testing.TB, path string) (*http.Response, []byte) {
	t.Helper()
	return fetch(t, hr.base+path)
}

func fetch(t testing.TB, url string) (*http.Response, []byte) {
	t.Helper()
	return fetchWith(t, http.DefaultClient, url)
}

// fetchWith is fetch with client c.
func fetchWith(t testing.TB, c *http.Client, url string) (*http.Response, []byte) {
	t.Helper()
	resp, err := c.Get(url)
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
