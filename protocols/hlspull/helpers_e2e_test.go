//go:build e2e

package hlspull

import (
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// vod is a set of HLS segments ffmpeg wrote, read back from its playlist.
type vod struct {
	dir  string
	segs []Segment // URIs relative to dir
	init string    // fMP4 init section name, "" for MPEG-TS
}

// ffmpegHLS encodes seconds of a test pattern and tone (H.264, a keyframe
// a second, AAC) into 1-second HLS segments, MPEG-TS or fMP4.
func ffmpegHLS(t testing.TB, seconds int, fmp4 bool) *vod {
	t.Helper()
	if _, err := exec.LookPath("ffmpeg"); err != nil {
		t.Skip("ffmpeg not installed")
	}
	dir := t.TempDir()
	args := []string{
		"-hide_banner", "-loglevel", "error", "-nostdin",
		"-f", "lavfi", "-i", fmt.Sprintf("testsrc=size=320x180:rate=25:duration=%d", seconds),
		"-f", "lavfi", "-i", fmt.Sprintf("sine=frequency=1000:sample_rate=48000:duration=%d", seconds),
		"-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-bf", "0", "-pix_fmt", "yuv420p",
		"-c:a", "aac", "-b:a", "64k",
		"-f", "hls", "-hls_time", "1", "-hls_list_size", "0", "-hls_playlist_type", "vod",
	}
	if fmp4 {
		args = append(args, "-hls_segment_type", "fmp4", "-hls_fmp4_init_filename", "init.mp4",
			"-hls_segment_filename", filepath.Join(dir, "seg%d.m4s"))
	} else {
		args = append(args, "-hls_segment_filename", filepath.Join(dir, "seg%d.ts"))
	}
	if out, err := exec.Command("ffmpeg", append(args, filepath.Join(dir, "index.m3u8"))...).CombinedOutput(); err != nil {
		t.Fatalf("ffmpeg: %v\n%s", err, out)
	}
	b, err := os.ReadFile(filepath.Join(dir, "index.m3u8"))
	if err != nil {
		t.Fatal(err)
	}
	pl, err := ParsePlaylist(b, nil)
	if err != nil {
		t.Fatalf("ffmpeg's playlist: %v\n%s", err, b)
	}
	v := &vod{dir: dir, segs: pl.Segments}
	if fmp4 {
		v.init = pl.Segments[0].Map
	}
	return v
}

// read returns one of the vod's files.
func (v *vod) read(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(v.dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// originMode is what a fakeOrigin answers.
type originMode int

const (
	modeLive    originMode = iota // a sliding window that grows a segment a second
	modeFrozen                    // the window stops where it is
	mode404                       // every request answers 404
	modeGarbage                   // every request answers HTML
)

// fakeOrigin serves a vod's segments as a live playlist: three segments at
// first, one more each second, a window of three; once the vod is played
// out it stops updating (as a live origin whose encoder died).
type fakeOrigin struct {
	v     *vod
	start time.Time

	mu       sync.Mutex
	mode     originMode
	frozenAt int
	requests []string
}

func newOrigin(v *vod) *fakeOrigin { return &fakeOrigin{v: v, start: time.Now()} }

func (o *fakeOrigin) setMode(m originMode) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if m == modeFrozen {
		o.frozenAt = o.available()
	}
	o.mode = m
}

// available is how many segments are out now.
func (o *fakeOrigin) available() int {
	return min(len(o.v.segs), 3+int(time.Since(o.start)/time.Second))
}

func (o *fakeOrigin) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	o.mu.Lock()
	mode, n := o.mode, o.available()
	if mode == modeFrozen {
		n = o.frozenAt
	}
	o.requests = append(o.requests, r.URL.Path)
	o.mu.Unlock()
	switch {
	case mode == mode404:
		http.NotFound(w, r)
	case mode == modeGarbage:
		_, _ = w.Write([]byte(strings.Repeat("<html>nothing to see</html>\n", 200)))
	case strings.HasSuffix(r.URL.Path, ".m3u8"):
		_, _ = w.Write([]byte(o.playlist(n)))
	default:
		http.ServeFile(w, r, filepath.Join(o.v.dir, filepath.Base(r.URL.Path)))
	}
}

// playlist renders the live window ending at segment n.
func (o *fakeOrigin) playlist(n int) string {
	first := max(0, n-3)
	var b strings.Builder
	fmt.Fprintf(&b, "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:1\n#EXT-X-MEDIA-SEQUENCE:%d\n", first)
	if o.v.init != "" {
		fmt.Fprintf(&b, "#EXT-X-MAP:URI=%q\n", o.v.init)
	}
	for _, s := range o.v.segs[first:n] {
		fmt.Fprintf(&b, "#EXTINF:%.3f,\n%s\n", s.Duration.Seconds(), s.URI)
	}
	return b.String()
}
