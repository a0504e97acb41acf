//go:build e2e

package main

import (
	"context"
	"fmt"
	"net"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"streamhive/media/mediatest"
)

// These tests feed a real server from peers no one here wrote (ffmpeg as
// SRT caller, UDP sender and HTTP server; an MP4 ffmpeg made) and read the
// result back over HLS with ffmpeg.

// clipFile encodes seconds of the test pattern and a tone (H.264 with a
// keyframe a second, AAC) into dir/name; the container follows the name.
func clipFile(t *testing.T, dir, name string, seconds int) string {
	t.Helper()
	path := filepath.Join(dir, name)
	out, err := exec.Command("ffmpeg", "-v", "error", "-nostdin",
		"-f", "lavfi", "-i", fmt.Sprintf("testsrc=size=320x180:rate=25:duration=%d", seconds),
		"-f", "lavfi", "-i", fmt.Sprintf("sine=frequency=440:sample_rate=44100:duration=%d", seconds),
		"-c:v", "libx264", "-pix_fmt", "yuv420p", "-preset", "ultrafast", "-g", "25", "-bf", "0",
		"-c:a", "aac", "-y", path).CombinedOutput()
	if err != nil {
		t.Fatalf("ffmpeg %s: %v\n%s", name, err, out)
	}
	return path
}

// sendClip runs ffmpeg sending clip at real-time pace, stream-copied into
// MPEG-TS, to url (extra options go before it). It is killed at test end.
// One goroutine waits for it: callers read its end from done, never call
// Wait themselves (two Waits race and can hang).
func sendClip(t *testing.T, clip, url string, extra ...string) (*clipSender, *mediatest.LogBuffer) {
	t.Helper()
	args := append([]string{"-v", "error", "-nostdin", "-re", "-i", clip, "-c", "copy", "-f", "mpegts"}, extra...)
	cmd := exec.Command("ffmpeg", append(args, url)...)
	out := &mediatest.LogBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &clipSender{cmd: cmd, done: make(chan struct{})}
	go func() { s.err = cmd.Wait(); close(s.done) }()
	t.Cleanup(func() { s.kill(); <-s.done })
	return s, out
}

// clipSender is a running sendClip.
type clipSender struct {
	cmd  *exec.Cmd
	done chan struct{} // closed when ffmpeg has exited
	err  error         // its exit, once done is closed
}

// kill ends ffmpeg at once (no clean shutdown of its connection).
func (s *clipSender) kill() { _ = s.cmd.Process.Kill() }

// wait blocks until ffmpeg exits and returns how.
func (s *clipSender) wait() error {
	<-s.done
	return s.err
}

// decodeHLS decodes two seconds of a live HLS playlist with ffmpeg and
// fails on any error line.
func decodeHLS(t *testing.T, url string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "ffmpeg", "-v", "error", "-i", url, "-t", "2", "-f", "null", "-").CombinedOutput()
	if err != nil || len(strings.TrimSpace(string(out))) > 0 {
		t.Errorf("ffmpeg decode %s: %v\n%s", url, err, out)
	}
}

// decodeAll decodes the playlists at once.
func decodeAll(t *testing.T, urls ...string) {
	t.Helper()
	var wg sync.WaitGroup
	for _, u := range urls {
		wg.Go(func() { decodeHLS(t, u) })
	}
	wg.Wait()
}

// inputStats reads input 0's stats of a stream from the API.
func inputStats(t *testing.T, p *proc, name string) (alive bool, in map[string]any) {
	t.Helper()
	code, body := p.do("GET", "/streamer/api/v3/streams/"+name, "", "")
	if code != 200 {
		t.Fatalf("GET stream %s: %d %s", name, code, body)
	}
	st := decode[struct {
		Stats struct {
			Alive  bool             `json:"alive"`
			Inputs []map[string]any `json:"inputs"`
		} `json:"stats"`
	}](t, body)
	if len(st.Stats.Inputs) == 0 {
		return st.Stats.Alive, nil
	}
	return st.Stats.Alive, st.Stats.Inputs[0]
}

// number reads obj[group][key] as a number (0 when absent).
func number(obj map[string]any, group, key string) float64 {
	g, _ := obj[group].(map[string]any)
	n, _ := g[key].(float64)
	return n
}

// TestSRTPublishPlaysOverHLS: ffmpeg publishes over SRT to the global
// srt_publish port (streamid routing, passphrase) and to a stream's own
// srt port (no streamid, no passphrase); both play over HLS. Garbage
// datagrams, a wrong passphrase and an unknown stream are shrugged off or
// refused with a log line; a publisher killed mid-stream leaves the stream
// waiting, and the next publisher brings it back.
func TestSRTPublishPlaysOverHLS(t *testing.T) {
	if testing.Short() {
		t.Skip("real media for several seconds")
	}
	port, pubPort, ownPort := freePort(t), freeUDPPort(t), freeUDPPort(t)
	const pass = "0123456789"
	conf := fmt.Sprintf(`srt_publish { port 127.0.0.1:%d; passphrase %s; }
stream live1 { input publish://; segment_duration 1; }
stream own { input publish://; srt 127.0.0.1:%d; segment_duration 1; }
`, pubPort, pass, ownPort)
	p := start(t, port, "-config", writeConfig(t, t.TempDir(), port, conf))
	clip := clipFile(t, t.TempDir(), "clip.ts", 8)
	pubURL := func(streamid, passphrase string) string {
		u := fmt.Sprintf("srt://127.0.0.1:%d?streamid=%s", pubPort, streamid)
		if passphrase != "" {
			u += "&passphrase=" + passphrase
		}
		return u
	}

	for _, port := range []int{pubPort, ownPort} {
		conn, err := net.Dial("udp", fmt.Sprintf("127.0.0.1:%d", port))
		if err != nil {
			t.Fatal(err)
		}
		for i := range 100 {
			_, _ = conn.Write([]byte(strings.Repeat(string(rune('a'+i%26)), 1+i*13)))
		}
		_ = conn.Close()
	}

	for _, url := range []string{pubURL("#!::r=live1,m=publish", "wrongwrong"), pubURL("#!::r=nope,m=publish", pass)} {
		cmd, out := sendClip(t, clip, url)
		if err := cmd.wait(); err == nil {
			t.Errorf("publishing to %s succeeded: %s", url, out)
		}
	}
	for _, want := range []string{"reason=REJ_BADSECRET", "reason=REJX_NOTFOUND"} {
		mediatest.WaitFor(t, 2*time.Second, "a refusal log line with "+want, func() bool {
			return strings.Contains(p.log.String(), "publisher refused") && strings.Contains(p.log.String(), want)
		})
	}

	live1, _ := sendClip(t, clip, pubURL("#!::r=live1,m=publish", pass))
	sendClip(t, clip, fmt.Sprintf("srt://127.0.0.1:%d", ownPort))
	waitPlaylist(t, p.base+"/live1/mono.m3u8")
	waitPlaylist(t, p.base+"/own/mono.m3u8")
	decodeAll(t, p.base+"/live1/index.m3u8", p.base+"/own/index.m3u8")

	_, in := inputStats(t, p, "live1")
	if number(in, "srt", "packets_received") == 0 || number(in, "ts", "packets") == 0 || number(in, "ts", "cc_errors") != 0 {
		t.Errorf("input stats %v, want srt packets, ts packets and no cc errors", in)
	}
	if _, ok := in["srt"].(map[string]any)["rtt"]; !ok {
		t.Errorf("input stats %v lack srt.rtt", in)
	}
	_, metrics := p.do("GET", "/metrics", "", "")
	for _, want := range []string{
		`streamhive_input_srt_packets_received_total{name="live1",input="0"}`,
		`streamhive_input_ts_cc_errors_total{name="own",input="0"} 0`,
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}

	live1.kill() // gone without an SRT shutdown
	mediatest.WaitFor(t, 10*time.Second, "live1 to stop being alive", func() bool { alive, _ := inputStats(t, p, "live1"); return !alive })
	// The input's failure reaches the stream before the listener logs the
	// ended publisher, so the line may come a moment after !alive.
	mediatest.WaitFor(t, 2*time.Second, "a log line for the publisher that vanished", func() bool {
		return strings.Contains(p.log.String(), "srt: publisher ended")
	})
	sendClip(t, clip, pubURL("#!::r=live1,m=publish", pass))
	mediatest.WaitFor(t, 10*time.Second, "live1 alive with a new publisher", func() bool { alive, _ := inputStats(t, p, "live1"); return alive })
}

// TestTSInputsPlayOverHLS pulls udp:// (ffmpeg sending unicast), tshttp://
// (ffmpeg serving HTTP) and file:// (an MP4 ffmpeg wrote) into one server:
// each stream plays over HLS and decodes, and the TS inputs show their TS
// counters in the API.
func TestTSInputsPlayOverHLS(t *testing.T) {
	if testing.Short() {
		t.Skip("real media for several seconds")
	}
	port, udpPort, httpPort := freePort(t), freeUDPPort(t), freePort(t)
	dir := t.TempDir()
	clip := clipFile(t, dir, "clip.ts", 8)
	mp4 := clipFile(t, dir, "clip.mp4", 3)
	conf := fmt.Sprintf(`stream viaudp { input udp://127.0.0.1:%d; segment_duration 1; }
stream viahttp { input tshttp://127.0.0.1:%d/live.ts; segment_duration 1; }
stream viafile { input file://%s; segment_duration 1; }
`, udpPort, httpPort, mp4)
	p := start(t, port, "-config", writeConfig(t, t.TempDir(), port, conf))

	sendClip(t, clip, fmt.Sprintf("udp://127.0.0.1:%d?pkt_size=1316", udpPort))
	sendClip(t, clip, fmt.Sprintf("http://127.0.0.1:%d/live.ts", httpPort), "-listen", "1")

	for _, name := range []string{"viaudp", "viahttp", "viafile"} {
		waitPlaylist(t, p.base+"/"+name+"/mono.m3u8")
	}
	decodeAll(t, p.base+"/viaudp/index.m3u8", p.base+"/viahttp/index.m3u8", p.base+"/viafile/index.m3u8")
	for _, name := range []string{"viaudp", "viahttp"} {
		if _, in := inputStats(t, p, name); number(in, "ts", "packets") == 0 || number(in, "ts", "cc_errors") != 0 {
			t.Errorf("%s input stats %v, want ts packets and no cc errors", name, in)
		}
	}
}
