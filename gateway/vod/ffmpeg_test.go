//go:build e2e

package vod

import (
	"net"
	"os/exec"
	"testing"

	"github.com/valyala/fasthttp"
)

// TestFFmpegDecodes: every URL of the committed clips (moov at the end with
// B-frames, two audio tracks and a subtitle; the fragmented form) decodes
// with ffmpeg printing nothing at -v error.
func TestFFmpegDecodes(t *testing.T) {
	h := New(Options{Locations: locs{folder(t)}})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &fasthttp.Server{Handler: func(rc *fasthttp.RequestCtx) {
		if !h.Serve(rc) {
			rc.SetStatusCode(404)
		}
	}}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Shutdown() })
	for _, file := range []string{"movies/progressive.mp4", "movies/fragmented.mp4"} {
		for _, rest := range []string{"", "/index.m3u8", "/index.fmp4.m3u8", "/index.mpd", "/mpegts"} {
			url := "http://" + ln.Addr().String() + "/vod/" + file + rest
			out, err := exec.Command("ffmpeg", "-nostdin", "-v", "error", "-i", url, "-map", "0:v", "-map", "0:a", "-f", "null", "-").CombinedOutput()
			if err != nil || len(out) > 0 {
				t.Errorf("%s: %v\n%s", url, err, out)
			}
		}
	}
}
