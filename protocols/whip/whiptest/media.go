// Package whiptest is a WHIP publisher for tests: a pion peer connection
// that sends H.264 and Opus made by ffmpeg, paced in real time as a
// browser sends its camera and microphone. Test code only.
package whiptest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"
	"github.com/pion/webrtc/v4/pkg/media/oggreader"
)

// Media is what a Client sends: H.264 access units (Annex-B, one per
// frame, SPS and PPS in band before each IDR) and Opus packets, each with
// its duration.
type Media struct {
	Video         [][]byte
	FrameDuration time.Duration
	Audio         [][]byte
	AudioDuration []time.Duration
}

// MakeMedia encodes seconds of ffmpeg's test pattern (size WxH, 10 fps, a
// keyframe a second, baseline: no B-frames, as WebRTC senders do) and a
// 440 Hz tone (Opus, 20 ms packets), and loads both.
func MakeMedia(tb testing.TB, size string, seconds int) *Media {
	tb.Helper()
	dir := tb.TempDir()
	h264Path, oggPath := filepath.Join(dir, "v.h264"), filepath.Join(dir, "a.ogg")
	run := func(args ...string) {
		out, err := exec.Command("ffmpeg", append([]string{"-v", "error", "-nostdin", "-y"}, args...)...).CombinedOutput()
		if err != nil {
			tb.Fatalf("ffmpeg: %v\n%s", err, out)
		}
	}
	run("-f", "lavfi", "-i", fmt.Sprintf("testsrc=size=%s:rate=10:duration=%d", size, seconds),
		"-c:v", "libx264", "-profile:v", "baseline", "-pix_fmt", "yuv420p", "-preset", "ultrafast",
		"-g", "10", "-bf", "0", "-x264-params", "repeat-headers=1", "-f", "h264", h264Path)
	run("-f", "lavfi", "-i", fmt.Sprintf("sine=frequency=440:sample_rate=48000:duration=%d", seconds),
		"-c:a", "libopus", "-b:a", "64k", "-frame_duration", "20", "-page_duration", "20000", oggPath)
	m := &Media{FrameDuration: 100 * time.Millisecond}
	var err error
	if m.Video, err = loadH264(h264Path); err != nil {
		tb.Fatal(err)
	}
	if m.Audio, m.AudioDuration, err = loadOpus(oggPath); err != nil {
		tb.Fatal(err)
	}
	return m
}

// loadH264 splits an Annex-B elementary stream into access units: every
// non-VCL unit joins the frame that follows it, and each frame is one
// slice (x264's default).
func loadH264(path string) ([][]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var nalus h264.AnnexB
	if err := nalus.Unmarshal(b); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var aus [][]byte
	var cur [][]byte
	for _, n := range nalus {
		cur = append(cur, n)
		switch h264.NALUType(n[0] & 0x1f) {
		case h264.NALUTypeIDR, h264.NALUTypeNonIDR:
			au, err := h264.AnnexB(cur).Marshal()
			if err != nil {
				return nil, err
			}
			aus = append(aus, au)
			cur = nil
		default:
		}
	}
	return aus, nil
}

// loadOpus reads an Ogg Opus file written with one packet per page.
func loadOpus(path string) ([][]byte, []time.Duration, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	r, _, err := oggreader.NewWith(bytes.NewReader(b))
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	var packets [][]byte
	var durations []time.Duration
	var granule uint64
	for {
		page, hdr, err := r.ParseNextPage()
		if errors.Is(err, io.EOF) {
			return packets, durations, nil
		}
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", path, err)
		}
		if bytes.HasPrefix(page, []byte("OpusTags")) {
			granule = hdr.GranulePosition
			continue
		}
		d := time.Duration(hdr.GranulePosition-granule) * time.Second / 48000
		granule = hdr.GranulePosition
		if d <= 0 || d > time.Second {
			d = 20 * time.Millisecond
		}
		packets = append(packets, page)
		durations = append(durations, d)
	}
}
