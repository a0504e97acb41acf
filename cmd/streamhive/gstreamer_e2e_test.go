//go:build e2e

package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"streamhive/media/mediatest"
)

// TestGStreamerPlays plays the demo stream with GStreamer's playbin (the
// player of set-top boxes and embedded devices) over HLS with MPEG-TS, HLS
// with fMP4, LL-HLS and live DASH, each for 10 s: video and audio buffers
// keep reaching the sinks in every 2 s of it, and their timestamps advance
// with the clock. It starts once the segment window has slid, which is
// where live DASH used to stall (see leadIn in media/dash). The stream has
// thumbnails, so the masters and the MPD carry an image track, which
// GStreamer must pass over.
func TestGStreamerPlays(t *testing.T) {
	if testing.Short() {
		t.Skip("GStreamer plays for 40 s")
	}
	bin, err := exec.LookPath("gst-launch-1.0")
	if err != nil {
		t.Skip("gst-launch-1.0 not installed: `scripts/deps.sh test` installs GStreamer")
	}
	port := freePort(t)
	conf := fmt.Sprintf("rtmp 127.0.0.1:%d;\nstream demo { input fake://; thumbnails size=320x180; }\n", freePort(t))
	p := start(t, port, "-config", writeConfig(t, t.TempDir(), port, conf))
	mediatest.WaitFor(t, 60*time.Second, "the segment window to slide", func() bool {
		return windowSlid(p.base + "/demo/mono.m3u8")
	})
	if m := httpGet(t, p.base+"/demo/index.m3u8"); !strings.Contains(m, "#EXT-X-IMAGE-STREAM-INF:") {
		t.Fatalf("master without its image track:\n%s", m)
	}
	// The four players run at once: each mostly waits on the stream's
	// real time (the LL-HLS one alone takes some 40 s to start).
	for _, path := range []string{"index.m3u8", "index.fmp4.m3u8", "index.ll.m3u8", "index.mpd"} {
		t.Run(path, func(t *testing.T) {
			t.Parallel()
			flow := playbin(t, bin, p.base+"/demo/"+path, 10*time.Second)
			flow.check(t, 10*time.Second)
		})
	}
}

// windowSlid reports whether the playlist no longer starts at the stream's
// first segment.
func windowSlid(url string) bool {
	resp, err := http.Get(url)
	if err != nil {
		return false
	}
	defer func() { _ = resp.Body.Close() }()
	b, _ := io.ReadAll(resp.Body)
	m := reSeq.FindSubmatch(b)
	if m == nil {
		return false
	}
	seq, _ := strconv.Atoi(string(m[1]))
	return seq > 0
}

// sinkBuffer is one buffer that reached a sink: when, relative to the first
// video buffer, and its presentation timestamp.
type sinkBuffer struct {
	at, pts time.Duration
}

// bufferFlow holds the buffers each sink ("video", "audio") received.
type bufferFlow struct {
	sinks map[string][]sinkBuffer
	log   []string // gst-launch's other lines, for a failure
}

// reLastMessage matches fakesink's report of a buffer under gst-launch -v.
var reLastMessage = regexp.MustCompile(`:(video|audio): last-message = chain .* pts: (\d+):(\d+):(\d+)\.(\d{9})`)

// playbin runs gst-launch-1.0 playbin on url with fakesinks that sync to
// the clock, for d after the first video buffer, and returns what reached
// the sinks.
func playbin(t *testing.T, bin, url string, d time.Duration) *bufferFlow {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d+40*time.Second)
	defer cancel()
	sink := "fakesink name=%s sync=true silent=false"
	cmd := exec.CommandContext(ctx, bin, "-v", "playbin", "uri="+url,
		"video-sink="+fmt.Sprintf(sink, "video"), "audio-sink="+fmt.Sprintf(sink, "audio"))
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	flow := &bufferFlow{sinks: map[string][]sinkBuffer{}}
	var first time.Time
	sc := bufio.NewScanner(out)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		m := reLastMessage.FindStringSubmatch(line)
		if m == nil {
			flow.log = append(flow.log, line)
			continue
		}
		if first.IsZero() {
			if m[1] != "video" {
				continue
			}
			first = time.Now()
		}
		at := time.Since(first)
		if at > d {
			return flow
		}
		flow.sinks[m[1]] = append(flow.sinks[m[1]], sinkBuffer{at: at, pts: parsePTS(m[2:])})
	}
	t.Fatalf("gst-launch-1.0 stopped after %v of play:\n%s", time.Since(first), strings.Join(lastLines(flow.log, 30), "\n"))
	return nil
}

// parsePTS reads GStreamer's H:MM:SS.NNNNNNNNN from its four parts.
func parsePTS(p []string) time.Duration {
	var n [4]int64
	for i, s := range p {
		n[i], _ = strconv.ParseInt(s, 10, 64)
	}
	return time.Duration(n[0])*time.Hour + time.Duration(n[1])*time.Minute + time.Duration(n[2])*time.Second + time.Duration(n[3])
}

func lastLines(lines []string, n int) []string {
	return lines[max(0, len(lines)-n):]
}

// check: both sinks received buffers in every 2 s slot of d, and their
// timestamps advanced by at least d minus 2 s (sync=true plays in real time).
func (f *bufferFlow) check(t *testing.T, d time.Duration) {
	t.Helper()
	const slot = 2 * time.Second
	for _, kind := range []string{"video", "audio"} {
		bufs := f.sinks[kind]
		if len(bufs) == 0 {
			t.Errorf("no %s buffer reached the sink:\n%s", kind, strings.Join(lastLines(f.log, 30), "\n"))
			continue
		}
		seen := make([]int, d/slot)
		for _, b := range bufs {
			if i := int(b.at / slot); i < len(seen) {
				seen[i]++
			}
		}
		for i, n := range seen {
			if n == 0 {
				t.Errorf("%s: no buffer between %v and %v of play", kind, time.Duration(i)*slot, time.Duration(i+1)*slot)
			}
		}
		advanced := bufs[len(bufs)-1].pts - bufs[0].pts
		if advanced < d-slot {
			t.Errorf("%s: timestamps advanced %v in %v of play", kind, advanced, d)
		}
		t.Logf("%s: %d buffers, timestamps advanced %v", kind, len(bufs), advanced)
	}
}
