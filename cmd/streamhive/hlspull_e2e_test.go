//go:build e2e

package main

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"streamhive/media/mediatest"
)

// originMode is what hlsOrigin answers under one path prefix.
type originMode int32

const (
	originGood    originMode = iota // the files ffmpeg writes
	origin404                       // 404 for everything
	originGarbage                   // HTML for everything
)

// hlsOrigin serves the live HLS that ffmpeg writes under dir over
// net/http on 127.0.0.1, each top-level folder in the mode set for it.
type hlsOrigin struct {
	dir   string
	files http.Handler
	modes map[string]*atomic.Int32 // by top-level folder
}

func (o *hlsOrigin) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	folder, _, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	mode := originGood
	if m := o.modes[folder]; m != nil {
		mode = originMode(m.Load())
	}
	switch mode {
	case origin404:
		http.NotFound(w, r)
	case originGarbage:
		_, _ = w.Write([]byte(strings.Repeat("<html>origin is having a bad day</html>\n", 100)))
	default:
		w.Header().Set("Cache-Control", "no-cache")
		o.files.ServeHTTP(w, r)
	}
}

// serveHLSOrigin starts the origin and returns its host:port.
func serveHLSOrigin(t *testing.T, o *hlsOrigin) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: o}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return ln.Addr().String()
}

// writeLiveHLS runs ffmpeg looping clip at real-time pace into a live HLS
// playlist dir/index.m3u8 (1-second segments, a window of 5), MPEG-TS or
// fMP4 segments. It is killed at test end.
func writeLiveHLS(t *testing.T, clip, dir string, fmp4 bool) *mediatest.LogBuffer {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	args := []string{
		"-v", "error", "-nostdin", "-re", "-stream_loop", "-1", "-i", clip, "-c", "copy",
		"-f", "hls", "-hls_time", "1", "-hls_list_size", "5", "-hls_flags", "delete_segments+temp_file",
	}
	if fmp4 {
		args = append(args, "-hls_segment_type", "fmp4", "-hls_fmp4_init_filename", "init.mp4")
	}
	cmd := exec.Command("ffmpeg", append(args, filepath.Join(dir, "index.m3u8"))...)
	out := &mediatest.LogBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	return out
}

// TestHLSPullPlaysOverHLS: ffmpeg writes two live HLS streams (MPEG-TS
// and fMP4 segments) that net/http serves; two StreamHive streams pull
// them with input hls://. While the origin answers 404 or garbage, each
// input reports the error and the server stays up; once the origin is
// good, both streams play over our HLS and decode with ffmpeg.
func TestHLSPullPlaysOverHLS(t *testing.T) {
	if testing.Short() {
		t.Skip("real media for several seconds")
	}
	dir := t.TempDir()
	clip := clipFile(t, dir, "clip.mp4", 4)
	o := &hlsOrigin{dir: dir, files: http.FileServer(http.Dir(dir)), modes: map[string]*atomic.Int32{
		"ts": new(atomic.Int32), "fmp4": new(atomic.Int32),
	}}
	o.modes["ts"].Store(int32(origin404))
	o.modes["fmp4"].Store(int32(originGarbage))
	host := serveHLSOrigin(t, o)
	tsLog := writeLiveHLS(t, clip, filepath.Join(dir, "ts"), false)
	fmp4Log := writeLiveHLS(t, clip, filepath.Join(dir, "fmp4"), true)

	port := freePort(t)
	conf := fmt.Sprintf(`stream hlsts { input hls://%s/ts/index.m3u8; segment_duration 1; }
stream hlsfmp4 { input hls://%s/fmp4/index.m3u8; segment_duration 1; }
`, host, host)
	p := start(t, port, "-config", writeConfig(t, t.TempDir(), port, conf))

	for name, want := range map[string]string{"hlsts": "404", "hlsfmp4": "bad playlist"} {
		mediatest.WaitFor(t, 20*time.Second, name+" input reporting "+want, func() bool {
			_, in := inputStats(t, p, name)
			msg, _ := in["last_error"].(string)
			return strings.Contains(msg, want)
		})
	}
	o.modes["ts"].Store(int32(originGood))
	o.modes["fmp4"].Store(int32(originGood))

	for _, name := range []string{"hlsts", "hlsfmp4"} {
		waitPlaylist(t, p.base+"/"+name+"/mono.m3u8")
	}
	decodeAll(t, p.base+"/hlsts/index.m3u8", p.base+"/hlsfmp4/index.m3u8")
	if _, in := inputStats(t, p, "hlsts"); number(in, "ts", "packets") == 0 {
		t.Errorf("hlsts input stats %v, want ts packets", in)
	}
	if t.Failed() {
		t.Logf("ffmpeg TS writer: %s\nffmpeg fMP4 writer: %s", tsLog, fmp4Log)
	}
}
