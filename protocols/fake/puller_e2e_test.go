//go:build e2e

package fake

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bluenviron/mediacommon/v2/pkg/codecs/mpeg4audio"
	"github.com/bluenviron/mediacommon/v2/pkg/formats/mpegts"

	"streamhive/media"
)

func TestPullTestPattern(t *testing.T) {
	for _, tool := range []string{"ffmpeg", "ffprobe"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed", tool)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	rec := &recorder{}
	stats := &media.InputStats{}
	began := time.Now()
	err := Puller{}.Pull(media.WithInputStats(ctx, stats), "fake://", map[string]string{"name": "demo"}, rec.publish)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Pull returned %v, want the context's error", err)
	}
	if took := time.Since(began); took < 3*time.Second || took > 6*time.Second {
		t.Errorf("Pull returned after %v, want about 3 s", took)
	}

	tracks, frames := rec.tracks, rec.frames
	if len(tracks) != 2 || tracks[0].Codec != media.CodecH264 || tracks[0].Width != 640 || tracks[0].Height != 360 ||
		tracks[1].Codec != media.CodecAAC || tracks[1].SampleRate != 48000 || tracks[1].ID != 1 {
		t.Fatalf("tracks = %+v", tracks)
	}
	if stats.Frames.Load() != uint64(len(frames)) || stats.Bytes.Load() == 0 {
		t.Errorf("stats frames %d bytes %d, sink got %d frames", stats.Frames.Load(), stats.Bytes.Load(), len(frames))
	}
	var video, audio []*media.Frame
	for _, f := range frames {
		if f.Track == 0 {
			video = append(video, f)
		} else {
			audio = append(audio, f)
		}
	}
	// Real-time pacing: 3 s at 25 fps, a frame at 0 s included; a loaded
	// machine produces late rather than early, so the lower bound is loose.
	if len(video) < 60 || len(video) > 77 {
		t.Errorf("got %d video frames in 3 s, want about 75", len(video))
	}
	for i, f := range video {
		if want := time.Duration(i) * 40 * time.Millisecond; f.DTS != want || f.PTS != want {
			t.Errorf("video frame %d at %v/%v, want %v", i, f.DTS, f.PTS, want)
		}
		if f.Keyframe != (i%25 == 0) {
			t.Errorf("video frame %d keyframe %v", i, f.Keyframe)
		}
	}
	if len(audio) < 110 || len(audio) > 145 {
		t.Errorf("got %d audio frames in 3 s, want about 140", len(audio))
	}
	for i, f := range audio {
		want := time.Duration(i) * 1024 * time.Second / 48000
		if d := f.DTS - want; d < -time.Microsecond || d > time.Microsecond {
			t.Errorf("audio frame %d at %v, want %v", i, f.DTS, want)
		}
	}

	ts := filepath.Join(t.TempDir(), "fake.ts")
	writeTS(t, ts, tracks, frames)
	probe := runTool(t, "ffprobe", "-v", "error", "-show_entries", "stream=codec_name,width,height,avg_frame_rate,sample_rate", "-of", "default=nw=1", ts)
	for _, want := range []string{"codec_name=h264", "width=640", "height=360", "avg_frame_rate=25/1", "codec_name=aac", "sample_rate=48000"} {
		if !strings.Contains(probe, want) {
			t.Errorf("ffprobe output lacks %s:\n%s", want, probe)
		}
	}
	// Decodes cleanly.
	if out := runTool(t, "ffmpeg", "-v", "error", "-i", ts, "-f", "null", "-"); strings.TrimSpace(out) != "" {
		t.Errorf("ffmpeg reports decoding errors:\n%s", out)
	}

	// The clock (top left) differs one second apart, and so does the
	// moving box's row; the colour bars in between do not.
	clock := grayCrop(t, ts, "300:50:16:16", 10, 35)
	if bytes.Equal(clock[0], clock[1]) {
		t.Error("the clock shows the same pixels one second apart")
	}
	boxRow := grayCrop(t, ts, "640:60:0:259", 10, 35)
	if bytes.Equal(boxRow[0], boxRow[1]) {
		t.Error("the box did not move in one second")
	}
	bars := grayCrop(t, ts, "200:60:400:100", 10, 35)
	if !bytes.Equal(bars[0], bars[1]) {
		t.Error("the colour bars changed: the crop regions above prove nothing")
	}
}

// writeTS muxes frames into an MPEG-TS file with mediacommon.
func writeTS(t *testing.T, path string, tracks []media.Track, frames []*media.Frame) {
	t.Helper()
	var asc mpeg4audio.AudioSpecificConfig
	if err := asc.Unmarshal(tracks[1].AudioConfig); err != nil {
		t.Fatal(err)
	}
	vt := &mpegts.Track{Codec: &mpegts.CodecH264{}}
	at := &mpegts.Track{Codec: &mpegts.CodecMPEG4Audio{Config: asc}}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }() // on a failure; closed and checked below otherwise
	bw := bufio.NewWriter(f)
	w := &mpegts.Writer{W: bw, Tracks: []*mpegts.Track{vt, at}}
	if err := w.Initialize(); err != nil {
		t.Fatal(err)
	}
	ticks := func(d time.Duration) int64 { return int64(d) * 90000 / int64(time.Second) }
	for _, fr := range frames {
		if fr.Track == 0 {
			err = w.WriteH264(vt, ticks(fr.PTS), ticks(fr.DTS), fr.Data)
		} else {
			err = w.WriteMPEG4Audio(at, ticks(fr.PTS), fr.Data)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := bw.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

func runTool(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
	return string(out)
}

// grayCrop decodes frames a and b of a file and returns the luma of the
// region crop (FFmpeg's w:h:x:y) of each.
func grayCrop(t *testing.T, path, crop string, a, b int) [2][]byte {
	t.Helper()
	var out [2][]byte
	for i, n := range []int{a, b} {
		cmd := exec.Command("ffmpeg", "-v", "error", "-i", path,
			"-vf", "select=eq(n\\,"+strconv.Itoa(n)+"),crop="+crop, "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "gray", "-")
		img, err := cmd.Output()
		if err != nil || len(img) == 0 {
			t.Fatalf("extracting frame %d: %v", n, err)
		}
		out[i] = img
	}
	return out
}
