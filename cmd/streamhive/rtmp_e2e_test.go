//go:build e2e

package main

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"streamhive/media/mediatest"
)

// TestRTMPPublishPlaysEverywhere publishes 20 s of H.264 + AAC with the real
// ffmpeg over RTMP and reads every output with ffprobe and ffmpeg while
// watching playlists and the MPD advance.
func TestRTMPPublishPlaysEverywhere(t *testing.T) {
	if testing.Short() {
		t.Skip("20 s of real media")
	}
	port, rtmpPort := freePort(t), freePort(t)
	conf := fmt.Sprintf("rtmp 127.0.0.1:%d;\nstream live1 { input publish://; segment_duration 2; }\n", rtmpPort)
	p := start(t, port, "-config", writeConfig(t, t.TempDir(), port, conf))

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	pub, _ := publishRTMP(ctx, t, fmt.Sprintf("rtmp://127.0.0.1:%d/live/live1", rtmpPort), "320x180", 20)
	defer func() { _ = pub.Process.Kill(); _ = pub.Wait() }()

	base := p.base + "/live1/"
	waitPlaylist(t, base+"mono.m3u8")

	watch := newWindowWatch()
	stopWatch := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); watch.run(t, p, stopWatch) }()

	outputs := []string{"index.m3u8", "mono.m3u8", "index.fmp4.m3u8", "index.ll.m3u8", "index.mpd"}
	for _, o := range outputs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			checkProbe(t, base+o)
			checkDecode(t, base+o)
		}()
	}
	time.Sleep(12 * time.Second) // let the watcher see several windows while the decoders run
	close(stopWatch)
	wg.Wait()
	watch.check(t)
}

// publishRTMP starts ffmpeg publishing the test pattern at size (WxH) and
// a 440 Hz tone to url over RTMP for at most seconds, as a camera encoder
// would (a keyframe a second, no B-frames). ffmpeg's output collects in
// the builder (read it only after Wait); the caller kills it or waits, and
// the test's cleanup kills and reaps it in any case.
func publishRTMP(ctx context.Context, t *testing.T, url, size string, seconds int) (*exec.Cmd, *strings.Builder) {
	t.Helper()
	pub := exec.CommandContext(ctx, "ffmpeg", "-v", "error", "-nostdin", "-re",
		"-f", "lavfi", "-i", "testsrc=size="+size+":rate=25", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
		"-t", strconv.Itoa(seconds), "-c:v", "libx264", "-pix_fmt", "yuv420p", "-preset", "ultrafast", "-g", "25", "-bf", "0",
		"-c:a", "aac", "-f", "flv", url)
	out := &strings.Builder{}
	pub.Stdout, pub.Stderr = out, out
	if err := pub.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = pub.Process.Kill(); _ = pub.Wait() })
	return pub, out
}

func waitPlaylist(t *testing.T, url string) {
	t.Helper()
	waitPlaylistFrom(t, http.DefaultClient, url)
}

// waitPlaylistFrom waits until client gets url listing a segment.
func waitPlaylistFrom(t *testing.T, client *http.Client, url string) {
	t.Helper()
	mediatest.WaitFor(t, 20*time.Second, url+" to list a segment", func() bool {
		resp, err := client.Get(url)
		if err != nil {
			return false
		}
		defer func() { _ = resp.Body.Close() }()
		body, err := io.ReadAll(resp.Body)
		return err == nil && resp.StatusCode == http.StatusOK && strings.Contains(string(body), "#EXTINF")
	})
}

// probedStream is one stream as ffprobe's JSON reports it.
type probedStream struct {
	Codec  string `json:"codec_name"`
	Width  int    `json:"width"`
	Height int    `json:"height"`
}

// probeStreams runs ffprobe -show_streams on url and returns its streams
// and raw output; when ffprobe fails it reports the error and ok is false.
func probeStreams(t *testing.T, url string) (streams []probedStream, out []byte, ok bool) {
	out, err := exec.Command("ffprobe", "-v", "error", "-show_streams", "-of", "json", url).Output()
	if err != nil {
		t.Errorf("ffprobe %s: %v", url, err)
		return nil, out, false
	}
	var probe struct {
		Streams []probedStream `json:"streams"`
	}
	_ = json.Unmarshal(out, &probe)
	return probe.Streams, out, true
}

// checkProbe asserts h264 320x180 and aac.
func checkProbe(t *testing.T, url string) {
	streams, out, ok := probeStreams(t, url)
	if !ok {
		return
	}
	var video, audio bool
	for _, s := range streams {
		video = video || (s.Codec == "h264" && s.Width == 320 && s.Height == 180)
		audio = audio || s.Codec == "aac"
	}
	if !video || !audio {
		t.Errorf("ffprobe %s: want h264 320x180 and aac, got %s", url, out)
	}
}

// checkDecode decodes 10 s of url and fails on any error line.
func checkDecode(t *testing.T, url string) {
	out, err := exec.Command("ffmpeg", "-v", "error", "-i", url, "-t", "10", "-f", "null", "-").CombinedOutput()
	if err != nil || len(strings.TrimSpace(string(out))) > 0 {
		t.Errorf("ffmpeg decode %s: %v\n%s", url, err, out)
	}
}

// windowWatch polls mono.m3u8 and index.mpd and records every segment it
// sees, to check durations, sequence numbers and the DASH timeline.
type windowWatch struct {
	hls  map[int]float64     // MSN → EXTINF seconds
	dash map[string][2]int64 // "set/number" → t, d
	mpds int
}

func newWindowWatch() *windowWatch {
	return &windowWatch{hls: map[int]float64{}, dash: map[string][2]int64{}}
}

var (
	reSeq = regexp.MustCompile(`#EXT-X-MEDIA-SEQUENCE:(\d+)`)
	reInf = regexp.MustCompile(`#EXTINF:([0-9.]+)`)
)

func (w *windowWatch) run(t *testing.T, p *proc, stop <-chan struct{}) {
	for {
		select {
		case <-stop:
			return
		case <-time.After(500 * time.Millisecond):
		}
		if code, body := p.do("GET", "/live1/mono.m3u8", "", ""); code == 200 {
			if m := reSeq.FindStringSubmatch(body); m != nil {
				seq, _ := strconv.Atoi(m[1])
				for i, inf := range reInf.FindAllStringSubmatch(body, -1) {
					d, _ := strconv.ParseFloat(inf[1], 64)
					w.hls[seq+i] = d
				}
			}
		}
		if code, body := p.do("GET", "/live1/index.mpd", "", ""); code == 200 {
			w.mpds++
			w.addMPD(t, body)
		}
	}
}

type mpdDoc struct {
	Sets []struct {
		ID       string `xml:"id,attr"`
		Template struct {
			StartNumber int64 `xml:"startNumber,attr"`
			S           []struct {
				T *int64 `xml:"t,attr"`
				D int64  `xml:"d,attr"`
				R int64  `xml:"r,attr"`
			} `xml:"SegmentTimeline>S"`
		} `xml:"SegmentTemplate"`
	} `xml:"Period>AdaptationSet"`
}

func (w *windowWatch) addMPD(t *testing.T, body string) {
	var doc mpdDoc
	if err := xml.Unmarshal([]byte(body), &doc); err != nil {
		t.Errorf("MPD does not parse: %v", err)
		return
	}
	for _, set := range doc.Sets {
		n, at := set.Template.StartNumber, int64(0)
		for i, s := range set.Template.S {
			if s.T != nil {
				at = *s.T
			}
			for j := range s.R + 1 {
				if i == 0 && j == 0 && at == 0 {
					// The lead-in from the Period's start to the window
					// (media/dash), or the stream's very first segment.
					n, at = n+1, at+s.D
					continue
				}
				key := set.ID + "/" + strconv.FormatInt(n, 10)
				if old, ok := w.dash[key]; ok && old != [2]int64{at, s.D} {
					t.Errorf("DASH segment %s changed: %v then %v", key, old, [2]int64{at, s.D})
				}
				w.dash[key] = [2]int64{at, s.D}
				n, at = n+1, at+s.D
			}
		}
	}
}

// check: HLS sequence numbers contiguous, durations within
// segment_duration (2 s) + one GOP (1 s); every DASH segment starts where
// the one before it ended, and numbers have no gaps.
func (w *windowWatch) check(t *testing.T) {
	if len(w.hls) < 5 || w.mpds < 5 {
		t.Fatalf("saw %d HLS segments and %d MPDs; want at least 5 of each", len(w.hls), w.mpds)
	}
	lo, hi := 1<<30, -1
	for msn, d := range w.hls {
		lo, hi = min(lo, msn), max(hi, msn)
		if d <= 0 || d > 3.0 {
			t.Errorf("segment %d lasts %.3f s, want (0, 3]", msn, d)
		}
	}
	if hi-lo+1 != len(w.hls) {
		t.Errorf("HLS sequence numbers %d..%d have gaps: %d seen", lo, hi, len(w.hls))
	}
	for key, td := range w.dash {
		set, num, _ := strings.Cut(key, "/")
		n, _ := strconv.ParseInt(num, 10, 64)
		next, ok := w.dash[set+"/"+strconv.FormatInt(n+1, 10)]
		if ok && next[0] != td[0]+td[1] {
			t.Errorf("DASH set %s: segment %d ends at %d, next starts at %d", set, n, td[0]+td[1], next[0])
		}
		if _, prevOK := w.dash[set+"/"+strconv.FormatInt(n-1, 10)]; !prevOK && !ok {
			t.Errorf("DASH set %s: segment %d has no neighbours", set, n)
		}
	}
}
