//go:build e2e

package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"streamhive/media/mediatest"
)

// TestPushToRealReceivers pushes one stream (an MP4 file played in a
// loop) to four real receivers at once: ffmpeg listening for RTMP, ffmpeg
// listening for SRT, ffmpeg reading unicast UDP, and a second StreamHive
// whose `input publish://` takes our RTMP push. Each receiver's output
// must probe as H.264 320x180 + AAC and decode without an error line. The
// RTMP receiver then goes away and comes back: the push reconnects
// (reconnects counted in the API and /metrics) while the stream runs on
// (same opened_at, lifetime growing).
func TestPushToRealReceivers(t *testing.T) {
	if testing.Short() {
		t.Skip("real media for several seconds")
	}
	dir := t.TempDir()
	clip := clipFile(t, dir, "clip.mp4", 4)
	rtmpPort, srtPort, udpPort := freePort(t), freeUDPPort(t), freeUDPPort(t)
	port2, rtmp2 := freePort(t), freePort(t)
	conf2 := fmt.Sprintf("rtmp 127.0.0.1:%d;\nstream dst { input publish://; segment_duration 1; }\n", rtmp2)
	second := start(t, port2, "-config", writeConfig(t, t.TempDir(), port2, conf2))

	// The receivers listen before the source runs.
	outRTMP, outSRT, outUDP := filepath.Join(dir, "rtmp.ts"), filepath.Join(dir, "srt.ts"), filepath.Join(dir, "udp.ts")
	rtmpURL := fmt.Sprintf("rtmp://127.0.0.1:%d/app/key", rtmpPort)
	recvRTMP := receive(t, "-listen", "1", "-i", rtmpURL, outRTMP)
	recvSRT := receive(t, "-i", fmt.Sprintf("srt://127.0.0.1:%d?mode=listener", srtPort), outSRT)
	recvUDP := receive(t, "-i", fmt.Sprintf("udp://127.0.0.1:%d", udpPort), outUDP)

	port := freePort(t)
	conf := fmt.Sprintf(`stream src {
  input file://%s;
  push %s retry_timeout=1;
  push srt://127.0.0.1:%d streamid=src retry_timeout=1;
  push udp://127.0.0.1:%d;
  push rtmp://127.0.0.1:%d/live/dst retry_timeout=1;
  push rtmp://127.0.0.1:1/nobody/home disabled;
}
`, clip, rtmpURL, srtPort, udpPort, rtmp2)
	p := start(t, port, "-config", writeConfig(t, t.TempDir(), port, conf))

	for _, r := range []*receiver{recvRTMP, recvSRT, recvUDP} {
		r.wait(t)
		checkProbe(t, r.out)
		checkDecode(t, r.out)
	}
	waitPlaylist(t, second.base+"/dst/mono.m3u8")
	decodeHLS(t, second.base+"/dst/index.m3u8")

	before := pushStats(t, p, "src")
	if len(before.Pushes) != 5 || before.Pushes[4].Stats != nil {
		t.Fatalf("pushes: want 5 with no stats for the disabled one, got %+v", before.Pushes)
	}
	for i, ps := range before.Pushes[:4] {
		if ps.Stats == nil || ps.Stats.Bytes == 0 || ps.Stats.ID == "" {
			t.Errorf("push %d (%s): want bytes counted, got %+v", i, ps.URL, ps.Stats)
		}
	}

	// The first RTMP receiver has gone (it stopped after its seconds of
	// media); a new one comes: the push reconnects to it.
	again := filepath.Join(dir, "rtmp2.ts")
	recvAgain := receive(t, "-listen", "1", "-i", rtmpURL, again)
	recvAgain.wait(t)
	checkProbe(t, again)
	checkDecode(t, again)
	after := pushStats(t, p, "src")
	if got := after.Pushes[0].Stats; got == nil || got.Reconnects < 1 || got.Errors < 1 {
		t.Errorf("rtmp push after its receiver came back: want reconnects and errors >= 1, got %+v", got)
	}
	if after.Stats.OpenedAt != before.Stats.OpenedAt || after.Stats.Lifetime <= before.Stats.Lifetime {
		t.Errorf("the stream restarted: opened_at %d -> %d, lifetime %d -> %d",
			before.Stats.OpenedAt, after.Stats.OpenedAt, before.Stats.Lifetime, after.Stats.Lifetime)
	}
	if got := after.Pushes[2].Stats; got == nil || got.Errors != 0 {
		t.Errorf("udp push: want no errors (a receiver that is away loses datagrams only), got %+v", got)
	}
	_, metrics := p.do("GET", "/metrics", "", "")
	if !strings.Contains(metrics, `streamhive_push_reconnects_total{name="src",id="src/1"}`) ||
		!strings.Contains(metrics, `pusher_bytes_total{name="src",id="src/3"}`) {
		t.Errorf("/metrics lacks the push series:\n%s", grepLines(metrics, "push"))
	}
}

// receiver is an ffmpeg process that receives a push and stream-copies
// receiveSeconds of it into a TS file.
type receiver struct {
	out  string
	cmd  *exec.Cmd
	log  *mediatest.LogBuffer
	done chan error
}

const receiveSeconds = "3"

func receive(t *testing.T, args ...string) *receiver {
	t.Helper()
	out := args[len(args)-1]
	full := append([]string{"-v", "error", "-nostdin", "-y"}, args[:len(args)-1]...)
	full = append(full, "-c", "copy", "-t", receiveSeconds, "-f", "mpegts", out)
	r := &receiver{out: out, cmd: exec.Command("ffmpeg", full...), log: &mediatest.LogBuffer{}, done: make(chan error, 1)}
	r.cmd.Stdout, r.cmd.Stderr = r.log, r.log
	if err := r.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { r.done <- r.cmd.Wait() }()
	t.Cleanup(func() { _ = r.cmd.Process.Kill() })
	return r
}

// wait waits for the receiver to finish its seconds of media.
func (r *receiver) wait(t *testing.T) {
	t.Helper()
	select {
	case err := <-r.done:
		if err != nil {
			t.Fatalf("receiver %s: %v\n%s", r.out, err, r.log.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("receiver %s: nothing after 30 s\n%s", r.out, r.log.String())
	}
	if fi, err := os.Stat(r.out); err != nil || fi.Size() == 0 {
		t.Fatalf("receiver %s wrote nothing: %v", r.out, err)
	}
}

type pushView struct {
	Stats struct {
		OpenedAt int64 `json:"opened_at"`
		Lifetime int64 `json:"lifetime"`
	} `json:"stats"`
	Pushes []struct {
		URL   string `json:"url"`
		Stats *struct {
			ID         string `json:"id"`
			Status     string `json:"status"`
			Bytes      int64  `json:"bytes"`
			Errors     int64  `json:"errors"`
			Reconnects int64  `json:"reconnects"`
		} `json:"stats"`
	} `json:"pushes"`
}

func pushStats(t *testing.T, p *proc, name string) pushView {
	t.Helper()
	code, body := p.do("GET", "/streamer/api/v3/streams/"+name, "", "")
	if code != 200 {
		t.Fatalf("GET stream %s: %d %s", name, code, body)
	}
	return decode[pushView](t, body)
}

func grepLines(text, prefix string) string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, prefix) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
