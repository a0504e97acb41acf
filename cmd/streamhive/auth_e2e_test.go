//go:build e2e

package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"streamhive/actors/auth/authtest"
	"streamhive/media/mediatest"
)

// authStream is the protected stream of these tests: the test pattern
// (protocols/fake), 1 s segments, recorded, played through on_play.
const authStream = "tv"

// startProtected runs the real binary with stream tv behind `on_play
// backendURL`, and flags extra, and returns it.
func startProtected(t *testing.T, backendURL string, extra ...string) *proc {
	t.Helper()
	dir := t.TempDir()
	port := freePort(t)
	conf := fmt.Sprintf("rtmp 127.0.0.1:%d;\nstream %s { input fake://; segment_duration 1; dvr %s 1h; on_play %s; }\n",
		freePort(t), authStream, filepath.Join(dir, "dvr"), backendURL)
	return start(t, port, append([]string{"-config", writeConfig(t, dir, port, conf)}, extra...)...)
}

// status fetches url without following redirects and returns the status
// and the Location header.
func status(t *testing.T, u string) (int, string) {
	t.Helper()
	c := &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(u)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer func() { _ = resp.Body.Close() }()
	// Continuous MPEG-TS never ends: a few bytes prove it flows.
	_, _ = io.CopyN(io.Discard, resp.Body, 188*10)
	return resp.StatusCode, resp.Header.Get("Location")
}

// plays reports whether ffmpeg decodes 2 s of u without an error.
func plays(u string) (bool, string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "ffmpeg", "-v", "error", "-nostdin", "-rw_timeout", "5000000",
		"-i", u, "-t", "2", "-f", "null", "-").CombinedOutput()
	return err == nil, string(out)
}

// waitRecorded waits until tv's archive holds 8 s and returns a range
// start inside it (Unix seconds) for archive URLs.
func waitRecorded(t *testing.T, p *proc) int64 {
	t.Helper()
	var from int64
	mediatest.WaitFor(t, 30*time.Second, "8 s recorded", func() bool {
		code, body := p.do("GET", "/streamer/api/v3/streams/"+authStream+"/dvr/ranges", "", "")
		if code != 200 {
			return false
		}
		r := decode[archiveRanges](t, body)
		if len(r.Ranges) == 0 || r.Ranges[0].Duration < 8 {
			return false
		}
		from = r.Ranges[0].From + 1
		return true
	})
	return from
}

// TestPlayAuthMatrix: a real auth backend on loopback decides, per token,
// every playback protocol's first request; ffmpeg plays what is allowed
// and gets nothing that is not. Allow (X-AuthDuration: a cached decision:
// a whole ffmpeg session costs one ask), deny (403), 302 (Location as the
// backend gave it; the target plays), 500, a backend slower than its
// timeout and a backend that is down deny (no allow_default).
func TestPlayAuthMatrix(t *testing.T) {
	backend := authtest.NewBackend(t)
	p := startProtected(t, backend.URL)
	from := waitRecorded(t, p)
	protos := []struct{ name, path string }{
		{"hls", "/tv/index.m3u8"},
		{"llhls", "/tv/index.ll.m3u8"},
		{"dash", "/tv/index.mpd"},
		{"mpegts", "/tv/mpegts"},
		{"archive", fmt.Sprintf("/tv/index-%d-4.m3u8", from)},
		{"archive-ts", fmt.Sprintf("/tv/archive-%d-4.ts", from)},
	}
	// The protocols' cases run at once (their tokens differ): most of each
	// is waiting on ffmpeg's 2 s of media and the slow backend's timeout.
	t.Run("protocols", func(t *testing.T) {
		for _, pr := range protos {
			t.Run(pr.name, func(t *testing.T) {
				t.Parallel()
				checkPlayAuth(t, backend, p.base+pr.path, pr.name)
			})
		}
	})

	// The backend goes down: new sessions are denied; a session whose
	// decision is cached plays on.
	cached := p.base + "/tv/index.m3u8?token=allow-hls"
	if code, _ := status(t, cached); code != 200 { // (re)opens the session while the backend is up
		t.Fatalf("allowed: status %d", code)
	}
	backend.Close()
	if code, _ := status(t, p.base+"/tv/index.m3u8?token=fresh"); code != 403 {
		t.Errorf("backend down: status %d, want 403", code)
	}
	if code, _ := status(t, cached); code != 200 {
		t.Errorf("backend down: a cached session got %d, want 200", code)
	}
}

// TestPlayAuthReask: a decision expires after its X-AuthDuration and the
// backend is asked again (update_session) while the viewer plays; when
// it then denies, an HLS viewer's next request is refused and a
// continuous MPEG-TS response ends.
func TestPlayAuthReask(t *testing.T) {
	backend := authtest.NewBackend(t)
	p := startProtected(t, backend.URL)
	for _, tok := range []string{"short-hls", "short-ts"} {
		backend.Set(tok, authtest.Allow("X-AuthDuration", "2"))
	}
	hls := p.base + "/tv/index.m3u8?token=short-hls"
	if code, _ := status(t, hls); code != 200 {
		t.Fatalf("first request: %d", code)
	}
	resp, err := http.Get(p.base + "/tv/mpegts?token=short-ts")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("mpegts: %v", err)
	}
	defer func() { _ = resp.Body.Close() }()
	ended := make(chan time.Time, 1)
	go func() { _, _ = io.Copy(io.Discard, resp.Body); ended <- time.Now() }()

	// Keep the HLS session alive, as a player reloading does.
	mediatest.WaitFor(t, 15*time.Second, "a re-ask of both sessions", func() bool {
		_, _ = status(t, hls)
		return reasked(backend, "short-hls") && reasked(backend, "short-ts")
	})
	for _, tok := range []string{"short-hls", "short-ts"} {
		backend.Set(tok, authtest.Deny())
	}
	denied := time.Now()
	mediatest.WaitFor(t, 10*time.Second, "the HLS session refused after the re-ask denied", func() bool {
		code, _ := status(t, hls)
		return code == 403
	})
	select {
	case at := <-ended:
		t.Logf("mpegts ended %v after the backend started denying", at.Sub(denied).Round(time.Millisecond))
	case <-time.After(10 * time.Second):
		t.Error("mpegts response still flowing 10 s after the backend started denying")
	}
}

// reasked reports whether the backend got an update_session for token.
func reasked(b *authtest.Backend, token string) bool {
	for _, q := range b.Requests() {
		if q.Get("token") == token && q.Get("request_type") == "update_session" {
			return true
		}
	}
	return false
}

// recorder is a reverse proxy in front of the server that records every
// request a player makes and its answer's status.
type recorder struct {
	base string
	mu   sync.Mutex
	seen []seenRequest
}

type seenRequest struct {
	at     time.Time
	path   string
	query  url.Values
	status int
}

func recordingProxy(t *testing.T, target string) *recorder {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	r := &recorder{}
	rp := httputil.NewSingleHostReverseProxy(u)
	rp.ModifyResponse = func(resp *http.Response) error {
		r.mu.Lock()
		defer r.mu.Unlock()
		req := resp.Request
		r.seen = append(r.seen, seenRequest{at: time.Now(), path: req.URL.Path, query: req.URL.Query(), status: resp.StatusCode})
		return nil
	}
	srv := httptest.NewServer(rp)
	t.Cleanup(srv.Close)
	r.base = srv.URL
	return r
}

// requests returns what the proxy has seen so far.
func (r *recorder) requests() []seenRequest {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]seenRequest(nil), r.seen...)
}

// isMedia: a segment, part or init segment request.
func isMedia(path string) bool {
	return strings.HasSuffix(path, ".ts") || strings.HasSuffix(path, ".m4s") || strings.HasSuffix(path, ".mp4")
}

// checkPlayAuth runs TestPlayAuthMatrix's cases for one protocol's URL:
// the tokens carry the protocol's name, so the cases of several protocols
// can run at once against one backend.
func checkPlayAuth(t *testing.T, backend *authtest.Backend, path, proto string) {
	t.Helper()
	tok := func(v string) string { return v + "-" + proto }
	u := func(token string) string { return path + "?token=" + token }
	backend.Set(tok("allow"), authtest.Allow("X-AuthDuration", "60"))
	backend.Set(tok("deny"), authtest.Deny())
	backend.Set(tok("moved"), authtest.RedirectTo(u(tok("allow"))))
	backend.Set(tok("error"), authtest.Status(500))
	backend.Set(tok("slow"), authtest.Slow(6*time.Second))

	if ok, out := plays(u(tok("allow"))); !ok {
		t.Errorf("allowed: ffmpeg failed: %s", out)
	}
	if n := backend.Count(tok("allow")); n != 1 {
		t.Errorf("allowed: the backend was asked %d times for one player's session, want 1 (a cached decision)", n)
	}
	if code, loc := status(t, u(tok("moved"))); code != 302 || loc != u(tok("allow")) {
		t.Errorf("302: got %d Location %q", code, loc)
	}
	if ok, out := plays(u(tok("moved"))); !ok {
		t.Errorf("302: ffmpeg did not play the redirect's target: %s", out)
	}
	for _, v := range []string{"deny", "error", "slow"} {
		t0 := time.Now()
		if code, _ := status(t, u(tok(v))); code != 403 {
			t.Errorf("%s: status %d, want 403", v, code)
		}
		if v == "slow" && time.Since(t0) > 5*time.Second {
			t.Errorf("slow backend: answered after %v, want the backend timeout", time.Since(t0))
		}
		if ok, _ := plays(u(tok(v))); ok {
			t.Errorf("%s: ffmpeg played", v)
		}
	}
}
