//go:build e2e

package vod

import (
	"cmp"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// serveHTTP serves h on a free loopback port and returns its base URL.
func serveHTTP(t *testing.T, h *Handler) string {
	t.Helper()
	return "http://" + listen(t, h)
}

// ffmpegMake writes dir/name with ffmpeg.
func ffmpegMake(dir, name string, args ...string) error {
	if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
		return err
	}
	cmd := append([]string{"-nostdin", "-v", "error", "-y"}, args...)
	cmd = append(cmd, filepath.Join(dir, name))
	if out, err := exec.Command("ffmpeg", cmd...).CombinedOutput(); err != nil {
		return fmt.Errorf("ffmpeg %s: %w\n%s", name, err, out)
	}
	return nil
}

// keyframeTimes returns the times (s) of url's video keyframes, by ffprobe.
func keyframeTimes(t *testing.T, url string) []float64 {
	t.Helper()
	out, err := exec.Command("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "packet=pts_time,flags",
		"-of", "csv=p=0", url).Output()
	if err != nil {
		t.Errorf("ffprobe %s: %v", url, err)
		return nil
	}
	var times []float64
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pts, flags, _ := strings.Cut(line, ",")
		if strings.HasPrefix(flags, "K") {
			v, err := strconv.ParseFloat(pts, 64)
			if err == nil {
				times = append(times, v)
			}
		}
	}
	return times
}

// made is the folder of files ffmpeg makes once for the tests of this
// file, all at once: 10 fps keeps every encode and decode short.
var made struct {
	once sync.Once
	dir  string
	err  error
}

// madeFiles returns the folder: hevc.mp4 (H.265 with B-frames, 1 s GOPs),
// odd.mp4 (H.264 with keyframes at odd, uneven times and an odd
// duration), and show/show-160x90.mp4 and show/show-320x180.mp4 (two
// renditions of one picture, same GOPs) listed by show.smil.
func madeFiles(t *testing.T) string {
	t.Helper()
	made.once.Do(func() {
		made.dir, made.err = os.MkdirTemp("", "gateway-vod-made")
		if made.err != nil {
			return
		}
		src := func(size string) []string {
			return []string{"-f", "lavfi", "-i", "testsrc2=size=" + size + ":rate=10", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000"}
		}
		jobs := map[string][]string{
			"hevc.mp4": append(src("160x90"), "-t", "3.3", "-c:v", "libx265", "-preset", "ultrafast", "-x265-params", "keyint=10:min-keyint=10:bframes=2:log-level=error",
				"-tag:v", "hvc1", "-c:a", "aac", "-b:a", "32k"),
			"odd.mp4": append(src("160x90"), "-t", "5.37", "-c:v", "libx264", "-preset", "ultrafast", "-bf", "2", "-g", "1000",
				"-force_key_frames", "0,0.7,1.9,2.4,4.1,4.8", "-c:a", "aac", "-b:a", "32k"),
		}
		for _, size := range []string{"160x90", "320x180"} {
			jobs["show/show-"+size+".mp4"] = append(src(size), "-t", "2", "-c:v", "libx264", "-preset", "ultrafast", "-g", "10", "-c:a", "aac", "-b:a", "32k")
		}
		var wg sync.WaitGroup
		errs := make(chan error, len(jobs))
		for name, args := range jobs {
			wg.Go(func() { errs <- ffmpegMake(made.dir, name, args...) })
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			made.err = cmp.Or(made.err, err)
		}
		smil := `<smil><body><switch>
  <video src="show/show-160x90.mp4" width="160" height="90" system-bitrate="150000"/>
  <video src="show/show-320x180.mp4" width="320" height="180" system-bitrate="400000"/>
</switch></body></smil>`
		made.err = cmp.Or(made.err, os.WriteFile(filepath.Join(made.dir, "show.smil"), []byte(smil), 0o644))
	})
	if made.err != nil {
		t.Fatal(made.err)
	}
	return made.dir
}

func TestMain(m *testing.M) {
	code := m.Run()
	if made.dir != "" {
		_ = os.RemoveAll(made.dir)
	}
	os.Exit(code)
}

// decodeAll runs ffmpeg on every URL at once; each must print nothing.
func decodeAll(t *testing.T, urls []string, args ...string) {
	t.Helper()
	var wg sync.WaitGroup
	for _, url := range urls {
		wg.Go(func() {
			cmd := append([]string{"-nostdin", "-v", "error", "-i", url}, args...)
			out, err := exec.Command("ffmpeg", append(cmd, "-f", "null", "-")...).CombinedOutput()
			if err != nil || len(out) > 0 {
				t.Errorf("%s: %v\n%s", url, err, out)
			}
		})
	}
	wg.Wait()
}

// TestMadeFiles: the made files (H.265 with B-frames; H.264 with
// keyframes at odd, uneven times and an odd duration) decode at every URL
// with ffmpeg printing nothing, and their segments follow the keyframes:
// every segment starts on a keyframe of the file (ffprobe), is at least
// the target long (the last excepted) and no keyframe the target allowed
// was skipped.
func TestMadeFiles(t *testing.T) {
	dir := madeFiles(t)
	const target = 2 * time.Second
	base := serveHTTP(t, New(Options{Locations: locs{dir}, SegmentDuration: target}))
	var urls []string
	for _, file := range []string{"hevc.mp4", "odd.mp4"} {
		for _, rest := range []string{"/index.m3u8", "/index.fmp4.m3u8", "/manifest.mpd", "/mpegts"} {
			urls = append(urls, base+"/vod/"+file+rest)
		}
	}
	decodeAll(t, urls, "-map", "0:v", "-map", "0:a")
	for _, file := range []string{"hevc.mp4", "odd.mp4"} {
		followsKeyframes(t, base+"/vod/"+file, target)
	}
}

// TestMadeRenditions: two renditions of one picture (160x90 and 320x180,
// same GOPs) listed by a SMIL file, and the same pair as a folder
// (auto_mbr), decode at every manifest URL with ffmpeg printing nothing.
func TestMadeRenditions(t *testing.T) {
	base := serveHTTP(t, New(Options{Locations: locs{madeFiles(t)}}))
	var urls []string
	for _, p := range []string{"/vod/show.smil/", "/vod/show/"} {
		for _, m := range []string{"index.m3u8", "index.fmp4.m3u8", "manifest.mpd"} {
			urls = append(urls, base+p+m)
		}
	}
	decodeAll(t, urls)
}

// followsKeyframes checks url's TS segments against its keyframes.
func followsKeyframes(t *testing.T, url string, target time.Duration) {
	t.Helper()
	keys := keyframeTimes(t, url)
	resp, err := http.Get(url + "/mono.m3u8")
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	var segs []string
	for _, line := range strings.Split(string(out), "\n") {
		if strings.HasSuffix(line, ".ts") {
			segs = append(segs, line)
		}
	}
	starts := make([]float64, len(segs))
	var wg sync.WaitGroup
	for i, seg := range segs {
		wg.Go(func() {
			if ks := keyframeTimes(t, url+"/"+seg); len(ks) > 0 {
				starts[i] = ks[0]
			} else {
				t.Errorf("%s/%s: no keyframe", url, seg)
			}
		})
	}
	wg.Wait()
	// MPEG-TS carries the file's times plus the muxer's start offset: the
	// first segment starts at the file's first keyframe.
	if len(starts) == 0 || len(keys) == 0 {
		t.Fatalf("%s: %d segments, %d keyframes", url, len(starts), len(keys))
	}
	offset := starts[0] - keys[0]
	for i := range starts {
		starts[i] -= offset
	}
	near := func(a, b float64) bool { return math.Abs(a-b) < 0.002 }
	for i, s := range starts {
		k := indexNear(keys, s, near)
		if k < 0 {
			t.Errorf("%s: segment %d starts at %.3f, no keyframe of the file there (%v)", url, i, s, keys)
			continue
		}
		if i+1 == len(starts) {
			break
		}
		next := starts[i+1]
		if next-s+0.02 < target.Seconds() {
			t.Errorf("%s: segment %d is %.3f s, under the %v target", url, i, next-s, target)
		}
		for _, kf := range keys[k+1:] {
			if kf >= next-0.002 {
				break
			}
			if kf-s+0.02 >= target.Seconds() {
				t.Errorf("%s: segment %d (%.3f..%.3f) skipped the keyframe at %.3f", url, i, s, next, kf)
			}
		}
	}
	t.Logf("%s: keyframes %v, segments start at %v", url, keys, starts)
}

func indexNear(xs []float64, x float64, near func(a, b float64) bool) int {
	for i, v := range xs {
		if near(v, x) {
			return i
		}
	}
	return -1
}
