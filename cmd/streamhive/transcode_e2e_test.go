//go:build e2e

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"streamhive/media/mediatest"
)

// TestTranscodeLadder publishes 1280x720 H.264 + AAC over RTMP to a stream
// that transcodes it to 640x360 and 320x180 (the smaller one with a logo),
// and a 320x180 stream to one that asks for NVENC on a machine without
// one. The master playlist lists both renditions with their resolution and
// bandwidth, each rendition decodes cleanly, their keyframes fall at the
// same times, the logo shows in the small rendition and not in the large
// one, and the NVENC stream reports its error while the server and the
// other stream carry on.
func TestTranscodeLadder(t *testing.T) {
	if testing.Short() {
		t.Skip("15 s of real media")
	}
	dir := t.TempDir()
	logo := writeLogo(t, dir)
	port, rtmpPort := freePort(t), freePort(t)
	conf := fmt.Sprintf(`rtmp 127.0.0.1:%d;
stream tc {
  input publish://;
  segment_duration 1;
  transcoder vb=600k size=640x360 preset=ultrafast vb=200k size=320x180 preset=ultrafast logo=%s@br ab=64k;
}
stream hw { input publish://; transcoder hw=nvenc deviceid=0 vb=300k size=160x90; }
`, rtmpPort, logo)
	p := start(t, port, "-config", writeConfig(t, dir, port, conf))

	// 60 s of media is more than the test needs: the publishers are
	// killed at the end.
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	t.Cleanup(cancel)
	publishRTMP(ctx, t, fmt.Sprintf("rtmp://127.0.0.1:%d/live/tc", rtmpPort), "1280x720", 60)
	publishRTMP(ctx, t, fmt.Sprintf("rtmp://127.0.0.1:%d/live/hw", rtmpPort), "320x180", 60)

	base := p.base + "/tc/"
	var master string
	mediatest.WaitFor(t, 30*time.Second, "a master playlist with two variants", func() bool {
		_, master = p.do("GET", "/tc/index.m3u8", "", "")
		return strings.Count(master, "#EXT-X-STREAM-INF") == 2
	})
	for _, want := range []string{`RESOLUTION=640x360`, `RESOLUTION=320x180`, `CODECS="avc1.`} {
		if !strings.Contains(master, want) {
			t.Errorf("master lacks %s:\n%s", want, master)
		}
	}
	bw := regexp.MustCompile(`STREAM-INF:BANDWIDTH=(\d+),`).FindAllStringSubmatch(master, -1)
	if len(bw) != 2 || atoi(bw[0][1]) <= atoi(bw[1][1]) || atoi(bw[1][1]) < 20_000 {
		t.Errorf("variant bandwidths %v: want two, the 640x360 one larger", bw)
	}
	probeMaster(t, base+"index.m3u8")
	probeMPD(t, base+"index.mpd")
	decodeAll(t, base+"track-0.m3u8", base+"track-1.m3u8")
	checkAlignedKeyframes(t, base+"track-0.m3u8", base+"track-1.m3u8")
	for _, track := range []string{"track-0.m3u8", "track-1.m3u8"} {
		checkSegmentsStartWithKeyframes(t, p, dir, "/tc/", track)
	}
	checkLogo(t, dir, base+"track-0.m3u8", base+"track-1.m3u8")
	checkTranscoderStats(t, p)
	checkNoNVENC(t, p)
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

// writeLogo writes a 160x96 opaque magenta PNG.
func writeLogo(t *testing.T, dir string) string {
	img := image.NewRGBA(image.Rect(0, 0, 160, 96))
	for y := range 96 {
		for x := range 160 {
			img.SetRGBA(x, y, magenta)
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "logo.png")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

var magenta = color.RGBA{R: 255, B: 255, A: 255}

// probeMaster asserts that ffprobe reads the master as two variants,
// 640x360 and 320x180, each with a bit rate.
func probeMaster(t *testing.T, url string) {
	out, err := exec.Command("ffprobe", "-v", "error", "-show_programs", "-of", "json", url).Output()
	if err != nil {
		t.Errorf("ffprobe %s: %v", url, err)
		return
	}
	var probe struct {
		Programs []struct {
			Tags    map[string]string `json:"tags"`
			Streams []probedStream    `json:"streams"`
		} `json:"programs"`
	}
	_ = json.Unmarshal(out, &probe)
	var sizes []string
	for _, pr := range probe.Programs {
		if atoi(pr.Tags["variant_bitrate"]) <= 0 {
			t.Errorf("variant without a bit rate: %+v", pr)
		}
		for _, s := range pr.Streams {
			if s.Codec == "h264" {
				sizes = append(sizes, fmt.Sprintf("%dx%d", s.Width, s.Height))
			}
		}
	}
	slices.Sort(sizes)
	if !slices.Equal(sizes, []string{"320x180", "640x360"}) {
		t.Errorf("ffprobe of the master: video %v, want 320x180 and 640x360\n%s", sizes, out)
	}
}

// probeMPD asserts that ffprobe finds both renditions in the MPD, as
// Representations of one video AdaptationSet.
func probeMPD(t *testing.T, url string) {
	streams, out, ok := probeStreams(t, url)
	if !ok {
		return
	}
	var sizes []string
	for _, s := range streams {
		if s.Codec == "h264" {
			sizes = append(sizes, fmt.Sprintf("%dx%d", s.Width, s.Height))
		}
	}
	slices.Sort(sizes)
	if !slices.Equal(sizes, []string{"320x180", "640x360"}) {
		t.Errorf("ffprobe of the MPD: video %v, want 320x180 and 640x360\n%s", sizes, out)
	}
}

// keyframes lists the keyframe times of the first 4 s of a live media
// playlist, from its oldest segment.
func keyframes(t *testing.T, url string) []float64 {
	out, err := exec.Command("ffprobe", "-v", "error", "-live_start_index", "0", "-read_intervals", "%+4",
		"-select_streams", "v", "-skip_frame", "nokey", "-show_entries", "frame=pts_time", "-of", "csv=p=0", url).Output()
	if err != nil {
		t.Errorf("ffprobe keyframes %s: %v", url, err)
	}
	var ts []float64
	for _, l := range strings.Fields(string(out)) {
		if v, err := strconv.ParseFloat(strings.Trim(l, ","), 64); err == nil {
			ts = append(ts, v)
		}
	}
	return ts
}

// checkAlignedKeyframes compares the renditions' keyframe times where
// their probes overlap (the window may move between the two probes).
func checkAlignedKeyframes(t *testing.T, a, b string) {
	ka, kb := keyframes(t, a), keyframes(t, b)
	if len(ka) == 0 || len(kb) == 0 {
		t.Fatalf("no keyframes: %v %v", ka, kb)
	}
	lo, hi := max(ka[0], kb[0]), min(ka[len(ka)-1], kb[len(kb)-1])
	in := func(k []float64) []string {
		var s []string
		for _, v := range k {
			if v >= lo && v <= hi {
				s = append(s, fmt.Sprintf("%.3f", v))
			}
		}
		return s
	}
	sa, sb := in(ka), in(kb)
	if len(sa) < 2 || !slices.Equal(sa, sb) {
		t.Errorf("keyframes differ between renditions:\n%v\n%v", ka, kb)
	}
}

// checkSegmentsStartWithKeyframes decodes every segment of a rendition's
// media playlist on its own (init + segment): each starts with a
// keyframe, so a player may switch renditions at any segment.
func checkSegmentsStartWithKeyframes(t *testing.T, p *proc, dir, base, playlist string) {
	_, text := p.do("GET", base+playlist, "", "")
	// Fetch everything first: the window slides while ffprobe runs.
	var init []byte
	var names []string
	var segs [][]byte
	for _, line := range strings.Split(text, "\n") {
		if m := regexp.MustCompile(`^#EXT-X-MAP:URI="([^"]+)"`).FindStringSubmatch(line); m != nil {
			_, body := p.do("GET", base+m[1], "", "")
			init = []byte(body)
		}
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if code, seg := p.do("GET", base+line, "", ""); code == 200 {
			names, segs = append(names, line), append(segs, []byte(seg))
		}
	}
	if len(segs) < 2 {
		t.Errorf("%s: %d segments fetched:\n%s", playlist, len(segs), text)
	}
	for i, seg := range segs {
		path := filepath.Join(dir, "seg.mp4")
		if err := os.WriteFile(path, append(slices.Clone(init), seg...), 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command("ffprobe", "-v", "error", "-select_streams", "v", "-read_intervals", "%+#1",
			"-show_entries", "frame=key_frame", "-of", "csv=p=0", path).Output()
		if first, _, _ := strings.Cut(strings.TrimSpace(string(out)), ","); err != nil || first != "1" {
			t.Errorf("%s %s: first frame key_frame=%q (%v), want 1", playlist, names[i], out, err)
		}
	}
}

// checkLogo grabs a picture of each rendition at 320x180: the logo's
// corner is magenta in the small rendition only.
func checkLogo(t *testing.T, dir, plain, marked string) {
	grab := func(url, name string) image.Image {
		path := filepath.Join(dir, name)
		out, err := exec.Command("ffmpeg", "-v", "error", "-i", url, "-frames:v", "1", "-vf", "scale=320:180", "-y", path).CombinedOutput()
		if err != nil {
			t.Fatalf("grabbing a picture of %s: %v\n%s", url, err, out)
		}
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(f)
		_ = f.Close()
		if err != nil {
			t.Fatal(err)
		}
		return img
	}
	a, b := grab(plain, "plain.png"), grab(marked, "marked.png")
	// The logo covers 160x96 of 1280x720, 10 px from the bottom right:
	// at 320x180, about x 277..317, y 153..177.
	at := image.Pt(297, 165)
	if d := distance(b.At(at.X, at.Y), magenta); d > 90 {
		t.Errorf("logo area is %v in the rendition with the logo", b.At(at.X, at.Y))
	}
	if d := distance(a.At(at.X, at.Y), magenta); d < 120 {
		t.Errorf("logo area is %v in the rendition without it", a.At(at.X, at.Y))
	}
	if d := distance(a.At(40, 40), b.At(40, 40)); d > 60 {
		t.Errorf("away from the logo the renditions differ: %v and %v", a.At(40, 40), b.At(40, 40))
	}
}

func distance(a, b color.Color) int {
	ar, ag, ab, _ := a.RGBA()
	br, bg, bb, _ := b.RGBA()
	abs := func(x, y uint32) int { d := int(x>>8) - int(y>>8); return max(d, -d) }
	return abs(ar, br) + abs(ag, bg) + abs(ab, bb)
}

// transcoderStats reads a stream's stats.
func transcoderStats(t *testing.T, p *proc, name string) map[string]any {
	code, body := p.do("GET", "/streamer/api/v3/streams/"+name, "", "")
	if code != 200 {
		t.Fatalf("GET stream %s: %d %s", name, code, body)
	}
	return decode[struct {
		Stats map[string]any `json:"stats"`
	}](t, body).Stats
}

func checkTranscoderStats(t *testing.T, p *proc) {
	st := transcoderStats(t, p, "tc")
	tc, _ := st["transcoder"].(map[string]any)
	rs, _ := tc["renditions"].([]any)
	if st["running_transcoder"] != true || tc["status"] != "running" || tc["device"] != "cpu" ||
		tc["frames_in"].(float64) < 50 || tc["speed"].(float64) <= 0 || len(rs) != 2 {
		t.Errorf("tc stats: %v", st)
		return
	}
	for _, r := range rs {
		r := r.(map[string]any)
		if r["frames_out"].(float64) < 50 || r["keyframes"].(float64) < 2 || r["speed"].(float64) <= 0 {
			t.Errorf("rendition stats %v", r)
		}
	}
	info, _ := st["media_info"].(map[string]any)
	tracks, _ := info["tracks"].([]any)
	if len(tracks) != 3 {
		t.Errorf("media_info shows %d tracks, want the two renditions and audio: %v", len(tracks), info)
	}
	_, metrics := p.do("GET", "/metrics", "", "")
	for _, want := range []string{`streamhive_transcoder_frames_out_total{name="tc",track="v2"}`, `streamhive_transcoder_speed{name="tc"}`} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

// checkNoNVENC: the NVENC stream says why it has no output, the server
// answers, and the log names the failure.
func checkNoNVENC(t *testing.T, p *proc) {
	var tc map[string]any
	var st map[string]any
	mediatest.WaitFor(t, 10*time.Second, "the NVENC stream's error", func() bool {
		st = transcoderStats(t, p, "hw")
		tc, _ = st["transcoder"].(map[string]any)
		return tc["status"] == "error"
	})
	if msg, _ := tc["error"].(string); !strings.Contains(msg, "hardware encoder unavailable") || !strings.Contains(msg, "h264_nvenc on device 0") {
		t.Errorf("NVENC error %q does not say what failed", msg)
	}
	if st["coder_error"] != true {
		t.Errorf("coder_error not set: %v", st)
	}
	if code, _ := p.do("GET", "/streamer/api/v3/monitoring/readiness", "", ""); code != 200 {
		t.Errorf("readiness %d after the NVENC failure", code)
	}
	mediatest.WaitFor(t, 2*time.Second, "a log line naming the failure", func() bool {
		return strings.Contains(p.log.String(), "transcoder: session failed")
	})
}
