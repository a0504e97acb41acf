//go:build e2e

package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"streamhive/media/mediatest"
)

// renditionSeconds is how much media each receiver records.
const renditionSeconds = 10

// TestPushRenditions pushes a stream transcoded into a two-rendition
// ladder (320x180 and 160x90, plus AAC) to three real receivers at once:
// ffmpeg listening for RTMP with the push's default tracks, ffmpeg
// listening for RTMP with tracks=v2a1, and ffmpeg listening for SRT.
// An RTMP receiver has one video track: it must get one rendition (the
// highest by default, the named one otherwise) with strictly increasing
// DTS, for at least 8 s of its 10, decoding without an error line. The
// SRT (MPEG-TS) receiver gets every rendition on its own PID, each with
// increasing timestamps. A fourth push names a track the stream lacks:
// its stats say so.
func TestPushRenditions(t *testing.T) {
	if testing.Short() {
		t.Skip("real media for several seconds")
	}
	dir := t.TempDir()
	clip := clipFile(t, dir, "clip.mp4", 40) // no loop within the run
	highPort, lowPort, srtPort := freePort(t), freePort(t), freeUDPPort(t)

	high := receiveRendition(t, filepath.Join(dir, "high.flv"),
		"-listen", "1", "-i", fmt.Sprintf("rtmp://127.0.0.1:%d/app/high", highPort))
	low := receiveRendition(t, filepath.Join(dir, "low.flv"),
		"-listen", "1", "-i", fmt.Sprintf("rtmp://127.0.0.1:%d/app/low", lowPort))
	ts := receiveRendition(t, filepath.Join(dir, "srt.ts"),
		"-i", fmt.Sprintf("srt://127.0.0.1:%d?mode=listener", srtPort), "-map", "0")

	port := freePort(t)
	conf := fmt.Sprintf(`stream ladder {
  input file://%s;
  transcoder vb=300k size=320x180 preset=ultrafast vb=150k size=160x90 preset=ultrafast ab=64k;
  push rtmp://127.0.0.1:%d/app/high retry_timeout=1;
  push rtmp://127.0.0.1:%d/app/low retry_timeout=1 tracks=v2a1;
  push srt://127.0.0.1:%d streamid=ladder retry_timeout=1;
  push rtmp://127.0.0.1:1/app/none retry_timeout=1 tracks=v3a1;
}
`, clip, highPort, lowPort, srtPort)
	p := start(t, port, "-config", writeConfig(t, t.TempDir(), port, conf))

	for _, r := range []*renditionReceiver{high, low, ts} {
		r.wait(t)
	}
	t.Run("rtmp default: the highest rendition", func(t *testing.T) {
		checkOneRendition(t, high, "320x180")
	})
	t.Run("rtmp tracks=v2a1: the named rendition", func(t *testing.T) {
		checkOneRendition(t, low, "160x90")
	})
	t.Run("srt: a PID per rendition", func(t *testing.T) {
		checkEveryRendition(t, ts, "320x180", "160x90")
	})
	t.Run("tracks=v3a1: the missing track in the push's stats", func(t *testing.T) {
		code, body := p.do("GET", "/streamer/api/v3/streams/ladder", "", "")
		var st struct {
			Pushes []struct {
				Stats *struct {
					Status    string `json:"status"`
					LastError string `json:"last_error"`
				} `json:"stats"`
			} `json:"pushes"`
		}
		if err := json.Unmarshal([]byte(body), &st); code != 200 || err != nil || len(st.Pushes) != 4 || st.Pushes[3].Stats == nil {
			t.Fatalf("GET stream: %d %v %s", code, err, body)
		}
		got := st.Pushes[3].Stats
		if got.Status != "retry" || !strings.Contains(got.LastError, "tracks=v3a1 names v3; the stream has v1 v2 a1") {
			t.Errorf("push naming v3: status %q, last_error %q; want retry and the missing track", got.Status, got.LastError)
		}
	})
}

// renditionReceiver is an ffmpeg process that receives a push and
// stream-copies renditionSeconds of it into a file; the container
// follows the file's name.
type renditionReceiver struct {
	out  string
	log  *mediatest.LogBuffer
	done chan error
}

// receiveRendition starts a receiver. It logs warnings, so that a
// timestamp its muxer had to mend (non monotonically increasing dts)
// shows.
func receiveRendition(t *testing.T, out string, args ...string) *renditionReceiver {
	t.Helper()
	full := append([]string{"-v", "warning", "-nostdin", "-y"}, args...)
	full = append(full, "-c", "copy", "-t", strconv.Itoa(renditionSeconds), out)
	cmd := exec.Command("ffmpeg", full...)
	r := &renditionReceiver{out: out, log: &mediatest.LogBuffer{}, done: make(chan error, 1)}
	cmd.Stdout, cmd.Stderr = r.log, r.log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { r.done <- cmd.Wait() }()
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	return r
}

// wait waits for the receiver to finish its seconds of media. The machine
// is shared: the server transcodes, so the wait is generous.
func (r *renditionReceiver) wait(t *testing.T) {
	t.Helper()
	select {
	case err := <-r.done:
		if err != nil {
			t.Fatalf("receiver %s: %v\n%s", r.out, err, r.log.String())
		}
	case <-time.After(90 * time.Second):
		t.Fatalf("receiver %s: not done after 90 s\n%s", r.out, r.log.String())
	}
	if fi, err := os.Stat(r.out); err != nil || fi.Size() == 0 {
		t.Fatalf("receiver %s wrote nothing: %v", r.out, err)
	}
}

// checkOneRendition asserts that an RTMP receiver's file has one video
// stream of size, every decoded picture of that size, strictly increasing
// DTS on each stream, at least 8 s of video, and decodes with ffmpeg -v
// error printing nothing.
func checkOneRendition(t *testing.T, r *renditionReceiver, size string) {
	p := probePackets(t, r.out)
	videos := p.streams("video")
	if len(videos) != 1 || videos[0].size() != size {
		t.Errorf("%s: want one video stream %s, got %+v", r.out, size, p.Streams)
	}
	if sizes := frameSizes(t, r.out); len(sizes) != 1 || sizes[0] != size {
		t.Errorf("%s: decoded picture sizes %v, want only %s", r.out, sizes, size)
	}
	for _, s := range p.Streams {
		if err := p.strictlyIncreasing(s.Index); err != nil {
			t.Errorf("%s: %s stream %d: %v", r.out, s.Type, s.Index, err)
		}
	}
	if len(videos) > 0 {
		if d := p.span(videos[0].Index); d < 8*time.Second {
			t.Errorf("%s: video lasts %v, want >= 8s of the %d s run", r.out, d, renditionSeconds)
		}
	}
	checkReceiverLog(t, r)
	out, err := exec.Command("ffmpeg", "-v", "error", "-i", r.out, "-f", "null", "-").CombinedOutput()
	if err != nil || len(strings.TrimSpace(string(out))) > 0 {
		t.Errorf("ffmpeg -v error %s: %v\n%s", r.out, err, firstLines(string(out), 10))
	}
}

// checkEveryRendition asserts that an MPEG-TS receiver's file has one
// video stream per size, each on its own PID with strictly increasing
// DTS, and audio with increasing DTS.
func checkEveryRendition(t *testing.T, r *renditionReceiver, sizes ...string) {
	p := probePackets(t, r.out)
	var got []string
	pids := map[string]bool{}
	for _, s := range p.Streams {
		pids[s.ID] = true
		if s.Type == "video" {
			got = append(got, s.size())
		}
	}
	slices.Sort(got)
	want := slices.Sorted(slices.Values(sizes))
	if !slices.Equal(got, want) || len(pids) != len(p.Streams) || len(p.streams("audio")) != 1 {
		t.Errorf("%s: want video %v and one audio, each on its own PID; got %+v", r.out, want, p.Streams)
	}
	for _, s := range p.Streams {
		if err := p.strictlyIncreasing(s.Index); err != nil {
			t.Errorf("%s: %s stream %d (PID %s): %v", r.out, s.Type, s.Index, s.ID, err)
		}
		if d := p.span(s.Index); s.Type == "video" && d < 8*time.Second {
			t.Errorf("%s: video PID %s lasts %v, want >= 8s", r.out, s.ID, d)
		}
	}
	checkReceiverLog(t, r)
}

// checkReceiverLog fails when the receiver's muxer mended timestamps: it
// warns about them, and the file alone would not show it.
func checkReceiverLog(t *testing.T, r *renditionReceiver) {
	if log := r.log.String(); strings.Contains(log, "monoton") {
		t.Errorf("receiver %s had to mend timestamps:\n%s", r.out, firstLines(log, 10))
	}
}

// packetProbe is ffprobe's view of a file: streams and packets.
type packetProbe struct {
	Streams []probeStream `json:"streams"`
	Packets []struct {
		Stream int    `json:"stream_index"`
		DTS    string `json:"dts_time"`
	} `json:"packets"`
}

type probeStream struct {
	Index  int    `json:"index"`
	ID     string `json:"id"` // the PID in MPEG-TS
	Type   string `json:"codec_type"`
	Width  int    `json:"width"`
	Height int    `json:"height"`
}

func (s probeStream) size() string { return fmt.Sprintf("%dx%d", s.Width, s.Height) }

func probePackets(t *testing.T, file string) packetProbe {
	t.Helper()
	out, err := exec.Command("ffprobe", "-v", "error", "-show_packets", "-show_streams",
		"-show_entries", "packet=stream_index,dts_time:stream=index,id,codec_type,width,height",
		"-of", "json", file).Output()
	var p packetProbe
	if err == nil {
		err = json.Unmarshal(out, &p)
	}
	if err != nil {
		t.Fatalf("ffprobe %s: %v", file, err)
	}
	return p
}

func (p packetProbe) streams(kind string) []probeStream {
	var out []probeStream
	for _, s := range p.Streams {
		if s.Type == kind {
			out = append(out, s)
		}
	}
	return out
}

// dts returns a stream's packet DTS in file order; packets without one
// are left out.
func (p packetProbe) dts(stream int) []float64 {
	var out []float64
	for _, pk := range p.Packets {
		if pk.Stream != stream {
			continue
		}
		if v, err := strconv.ParseFloat(pk.DTS, 64); err == nil {
			out = append(out, v)
		}
	}
	return out
}

// strictlyIncreasing reports the first DTS that does not grow, and how
// many do not.
func (p packetProbe) strictlyIncreasing(stream int) error {
	d := p.dts(stream)
	if len(d) < 2 {
		return fmt.Errorf("%d packets with a DTS", len(d))
	}
	bad, first := 0, -1
	for i := 1; i < len(d); i++ {
		if d[i] <= d[i-1] {
			if bad == 0 {
				first = i
			}
			bad++
		}
	}
	if bad > 0 {
		return fmt.Errorf("DTS not strictly increasing at %d of %d packets, first %.3f after %.3f",
			bad, len(d), d[first], d[first-1])
	}
	return nil
}

// span is the time from a stream's first DTS to its last.
func (p packetProbe) span(stream int) time.Duration {
	d := p.dts(stream)
	if len(d) < 2 {
		return 0
	}
	return time.Duration((d[len(d)-1] - d[0]) * float64(time.Second))
}

// frameSizes decodes a file's first video stream and returns the distinct
// picture sizes, in order of appearance.
func frameSizes(t *testing.T, file string) []string {
	out, err := exec.Command("ffprobe", "-v", "quiet", "-select_streams", "v:0", "-show_entries",
		"frame=width,height", "-of", "csv=p=0", file).Output()
	if err != nil {
		t.Errorf("ffprobe frames %s: %v", file, err)
		return nil
	}
	var sizes []string
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Split(strings.TrimSpace(l), ",") // "W,H" and, on some frames, an empty field more
		if len(f) < 2 {
			continue
		}
		if s := f[0] + "x" + f[1]; !slices.Contains(sizes, s) {
			sizes = append(sizes, s)
		}
	}
	return sizes
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	if len(lines) > n {
		lines[n] = "..."
	}
	return strings.Join(lines, "\n")
}
