//go:build e2e

package vod

import (
	"math"
	"net"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/valyala/fasthttp"
)

// listen serves h on a free loopback port, returning its address.
func listen(t *testing.T, h *Handler) string {
	t.Helper()
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
	return ln.Addr().String()
}

// TestFFmpegDecodes: every URL of the committed clips (moov at the end with
// B-frames, two audio tracks and a subtitle; the fragmented form) decodes
// with ffmpeg printing nothing at -v error.
func TestFFmpegDecodes(t *testing.T) {
	addr := listen(t, New(Options{Locations: locs{folder(t)}}))
	for _, file := range []string{"movies/progressive.mp4", "movies/fragmented.mp4"} {
		for _, rest := range []string{"", "/index.m3u8", "/index.fmp4.m3u8", "/index.mpd", "/mpegts"} {
			url := "http://" + addr + "/vod/" + file + rest
			out, err := exec.Command("ffmpeg", "-nostdin", "-v", "error", "-i", url, "-map", "0:v", "-map", "0:a", "-f", "null", "-").CombinedOutput()
			if err != nil || len(out) > 0 {
				t.Errorf("%s: %v\n%s", url, err, out)
			}
		}
	}
}

// cueLine is a WebVTT cue's timing line as ffmpeg writes it (mm:ss.ttt).
var cueLine = regexp.MustCompile(`(?m)^(\d\d):(\d\d\.\d\d\d) --> (\d\d):(\d\d\.\d\d\d)\nhello$`)

// TestFFmpegSubtitles: each HLS master's SUBTITLES rendition plays in
// ffmpeg (`-map 0:s`, written back as WebVTT) as the clip's cue (make.sh:
// "hello" for 1.5 s from the start), shown from the variant's first
// picture as ffprobe times it. ffmpeg 5.1's HLS demuxer leaves a master's
// subtitle renditions out ("Can't support the subtitle"), so ffmpeg is
// given the rendition's playlist the master names; it does not read
// X-TIMESTAMP-MAP either, so the cue is on the variant's own timeline.
func TestFFmpegSubtitles(t *testing.T) {
	addr := listen(t, New(Options{Locations: locs{folder(t)}}))
	for _, file := range []string{"movies/progressive.mp4", "movies/fragmented.mp4"} {
		for _, master := range []string{"index.m3u8", "index.fmp4.m3u8"} {
			base := "http://" + addr + "/vod/" + file + "/"
			_, body, err := fasthttp.Get(nil, base+master)
			uri := regexp.MustCompile(`#EXT-X-MEDIA:TYPE=SUBTITLES,.*URI="([^"]+)"`).FindSubmatch(body)
			if err != nil || uri == nil {
				t.Fatalf("%s%s: %v\n%s", base, master, err, body)
			}
			out, err := exec.Command("ffmpeg", "-nostdin", "-v", "error", "-i", base+string(uri[1]),
				"-map", "0:s", "-c:s", "webvtt", "-f", "webvtt", "-").CombinedOutput()
			cue := cueLine.FindStringSubmatch(string(out))
			if err != nil || cue == nil || len(cueLine.FindAllString(string(out), -1)) != 1 {
				t.Fatalf("%s: %v\n%s", uri[1], err, out)
			}
			start, end := seconds(t, cue[1], cue[2]), seconds(t, cue[3], cue[4])
			picture := firstPicture(t, base+master)
			if math.Abs(start-picture) > 0.002 || math.Abs(end-start-1.5) > 0.002 {
				t.Errorf("%s%s: cue %s, first picture at %.3f", base, master, cue[0], picture)
			}
		}
	}
}

func seconds(t *testing.T, minutes, secs string) float64 {
	t.Helper()
	m, err1 := strconv.ParseFloat(minutes, 64)
	s, err2 := strconv.ParseFloat(secs, 64)
	if err1 != nil || err2 != nil {
		t.Fatalf("%s:%s", minutes, secs)
	}
	return m*60 + s
}

// firstPicture is the PTS of the first video frame ffprobe reads at url.
func firstPicture(t *testing.T, url string) float64 {
	t.Helper()
	out, err := exec.Command("ffprobe", "-v", "error", "-select_streams", "v:0", "-read_intervals", "%+#1",
		"-show_entries", "packet=pts_time", "-of", "csv=p=0", url).Output()
	if err != nil {
		t.Fatalf("ffprobe %s: %v", url, err)
	}
	pts, err := strconv.ParseFloat(strings.Trim(strings.Split(string(out), "\n")[0], ", "), 64)
	if err != nil {
		t.Fatalf("ffprobe %s: %q", url, out)
	}
	return pts
}
