//go:build e2e

package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"sync/atomic"
	"testing"
	"time"

	"streamhive/media/mediatest"
)

// These tests run the streams that are not in the configuration all the
// time: one a template creates for a publisher, and an on-demand one.

// TestTemplateAdmitsPublisher: ffmpeg publishes over RTMP to a name no
// stream has, under a template's prefix; the stream the template creates
// plays over HLS, is listed in GET /streams while it is published, and is
// gone once ffmpeg stopped and -publish-timeout passed.
func TestTemplateAdmitsPublisher(t *testing.T) {
	if testing.Short() {
		t.Skip("real media for several seconds")
	}
	const timeout = 2 * time.Second
	port, rtmpPort := freePort(t), freePort(t)
	conf := fmt.Sprintf("rtmp 127.0.0.1:%d;\ntemplate live { prefix live; input publish://; segment_duration 1; }\n", rtmpPort)
	p := start(t, port, "-config", writeConfig(t, t.TempDir(), port, conf), "-publish-timeout", timeout.String())
	if listed, _ := streamListed(t, p, "live/abc"); listed {
		t.Fatal("live/abc listed before anyone published")
	}

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	pub, _ := publishRTMP(ctx, t, fmt.Sprintf("rtmp://127.0.0.1:%d/live/abc", rtmpPort), "320x180", 30)
	waitPlaylist(t, p.base+"/live/abc/mono.m3u8")
	checkProbe(t, p.base+"/live/abc/index.m3u8")
	if listed, alive := streamListed(t, p, "live/abc"); !listed || !alive {
		t.Errorf("while published: listed %v, alive %v; want both", listed, alive)
	}

	_ = pub.Process.Kill()
	_ = pub.Wait()
	left := time.Now()
	mediatest.WaitFor(t, timeout+15*time.Second, "live/abc to leave GET /streams", func() bool {
		listed, _ := streamListed(t, p, "live/abc")
		return !listed
	})
	t.Logf("gone %v after the publisher left (publish-timeout %v)", time.Since(left).Round(100*time.Millisecond), timeout)
	if code, _ := p.do("GET", "/live/abc/index.m3u8", "", ""); code == http.StatusOK {
		t.Error("the playlist still answers 200 after the stream went away")
	}
}

// TestOnDemandStartsAtFirstViewer: `ondemand od tshttp://...;` does not
// connect to its source at start; the first viewer's playlist request
// starts it, it plays, and once its viewers are gone (kicked through
// DELETE /sessions/{id}, faster than their 30 s idle timeout and the same
// end) it disconnects after -clients-timeout.
func TestOnDemandStartsAtFirstViewer(t *testing.T) {
	if testing.Short() {
		t.Skip("real media for several seconds")
	}
	const timeout = 2 * time.Second
	src := tsSource(t, clipFile(t, t.TempDir(), "clip.ts", 4))
	port := freePort(t)
	conf := fmt.Sprintf("ondemand od tshttp://%s/;\n", src.addr)
	p := start(t, port, "-config", writeConfig(t, t.TempDir(), port, conf), "-clients-timeout", timeout.String())

	time.Sleep(2 * time.Second) // a static stream would have connected by now
	if listed, alive := streamListed(t, p, "od"); !listed || alive || src.opened.Load() != 0 {
		t.Fatalf("before any viewer: listed %v, alive %v, source connections %d; want listed, asleep, none",
			listed, alive, src.opened.Load())
	}
	asked := time.Now()
	waitPlaylist(t, p.base+"/od/mono.m3u8")
	t.Logf("first playlist with a segment %v after the first request", time.Since(asked).Round(100*time.Millisecond))
	checkProbe(t, p.base+"/od/index.m3u8")
	if listed, alive := streamListed(t, p, "od"); !listed || !alive || src.open.Load() != 1 {
		t.Errorf("with a viewer: listed %v, alive %v, open source connections %d; want alive and 1", listed, alive, src.open.Load())
	}

	kickAll(t, p, "od")
	gone := time.Now()
	mediatest.WaitFor(t, timeout+15*time.Second, "od to stop and close its source", func() bool {
		_, alive := streamListed(t, p, "od")
		return !alive && src.open.Load() == 0
	})
	t.Logf("stopped %v after its last viewer left (clients-timeout %v)", time.Since(gone).Round(100*time.Millisecond), timeout)
	if listed, _ := streamListed(t, p, "od"); !listed {
		t.Error("an on-demand stream asleep should stay listed")
	}
}

// streamListed reports whether GET /streams lists name, and whether it is alive.
func streamListed(t *testing.T, p *proc, name string) (listed, alive bool) {
	t.Helper()
	code, body := p.do("GET", "/streamer/api/v3/streams", "", "")
	if code != http.StatusOK {
		t.Fatalf("GET /streams: %d %s", code, body)
	}
	list := decode[struct {
		Streams []struct {
			Name  string `json:"name"`
			Stats struct {
				Alive bool `json:"alive"`
			} `json:"stats"`
		} `json:"streams"`
	}](t, body)
	for _, s := range list.Streams {
		if s.Name == name {
			return true, s.Stats.Alive
		}
	}
	return false, false
}

// kickAll ends every viewer session of stream through DELETE /sessions/{id}.
func kickAll(t *testing.T, p *proc, stream string) {
	t.Helper()
	code, body := p.do("GET", "/streamer/api/v3/sessions", "", "")
	if code != http.StatusOK {
		t.Fatalf("GET /sessions: %d %s", code, body)
	}
	list := decode[struct {
		Sessions []struct {
			ID   string `json:"id"`
			Name string `json:"name"`
		} `json:"sessions"`
	}](t, body)
	n := 0
	for _, s := range list.Sessions {
		if s.Name != stream {
			continue
		}
		n++
		if code, body := p.do("DELETE", "/streamer/api/v3/sessions/"+s.ID, "", ""); code/100 != 2 {
			t.Fatalf("DELETE session %s: %d %s", s.ID, code, body)
		}
	}
	if n == 0 {
		t.Fatalf("no session of %s to kick in %s", stream, body)
	}
}

// tsHTTPSource is an HTTP MPEG-TS server: each request gets ffmpeg's
// stream copy of a clip, looped at real-time pace, until the client goes.
type tsHTTPSource struct {
	addr   string
	clip   string
	opened atomic.Int32 // requests ever
	open   atomic.Int32 // requests being answered now
}

func tsSource(t *testing.T, clip string) *tsHTTPSource {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &tsHTTPSource{addr: ln.Addr().String(), clip: clip}
	srv := &http.Server{Handler: http.HandlerFunc(s.serve), ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return s
}

func (s *tsHTTPSource) serve(w http.ResponseWriter, r *http.Request) {
	s.opened.Add(1)
	s.open.Add(1)
	defer s.open.Add(-1)
	cmd := exec.CommandContext(r.Context(), "ffmpeg", "-v", "error", "-nostdin", "-re", "-stream_loop", "-1",
		"-i", s.clip, "-c", "copy", "-f", "mpegts", "pipe:1")
	out, err := cmd.StdoutPipe()
	if err != nil || cmd.Start() != nil {
		http.Error(w, "ffmpeg", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "video/mp2t")
	_, _ = io.Copy(flushWriter{w}, out)
	_ = cmd.Wait()
}

// flushWriter sends each write to the client at once, as a live source does.
type flushWriter struct{ w http.ResponseWriter }

func (f flushWriter) Write(b []byte) (int, error) {
	n, err := f.w.Write(b)
	if fl, ok := f.w.(http.Flusher); ok {
		fl.Flush()
	}
	return n, err
}
