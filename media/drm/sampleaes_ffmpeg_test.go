//go:build e2e

package drm_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"streamhive/media/drm"
	"streamhive/media/drm/drmtest"
	"streamhive/media/hls"
)

// TestSampleAESInFFmpeg: encrypted segments still probe as MPEG-TS with an
// H.264 and an AAC stream; decrypted, they decode with nothing printed;
// and a SAMPLE-AES playlist of them plays through ffmpeg's HLS demuxer.
func TestSampleAESInFFmpeg(t *testing.T) {
	needFFmpeg(t)
	w := window(t)
	key, _ := drmtest.New("sample-aes").KeyAt(time.Now())
	dir := t.TempDir()
	n := hls.DefaultNames{}
	for _, seg := range w.Segments {
		iv := drm.SequenceIV(seg.MSN)
		enc, err := drm.EncryptSampleAES(seg.MPEGTS(), key, iv)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Join(dir, n.Segment(seg, hls.TS, 0))
		if err := os.WriteFile(name, enc, 0o644); err != nil {
			t.Fatal(err)
		}
		if got := probeStreams(t, name); got != "video h264,audio aac" {
			t.Errorf("segment %d probes as %q", seg.MSN, got)
		}
		dec, err := drm.DecryptSampleAES(enc, key, iv)
		if err != nil {
			t.Fatal(err)
		}
		if out := decodeErrors(t, "-", dec); out != "" {
			t.Errorf("segment %d decrypted: %s", seg.MSN, out)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "key.bin"), key.Key[:], 0o644); err != nil {
		t.Fatal(err)
	}
	pl, err := hls.Media(w, hls.MediaOptions{Format: hls.TS, Names: n})
	if err != nil {
		t.Fatal(err)
	}
	out, err := drm.ProtectMediaPlaylist(pl, drm.PlaylistKeys{
		KeyAt: func(time.Time) (drm.Key, error) { return key, nil },
		Tags:  func(k drm.Key) []string { return drm.HLSKeyTags(k, drm.SampleAES, "key.bin") },
	})
	if err != nil {
		t.Fatal(err)
	}
	name := filepath.Join(dir, "index.m3u8")
	if err := os.WriteFile(name, append(out, "#EXT-X-ENDLIST\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	// FFmpeg 5.1 decrypts SAMPLE-AES H.264 but leaves the NAL units without
	// their emulation prevention bytes (hls_sample_encryption.c removes them
	// and never puts them back), so a slice that had one fails to decode
	// however it was encrypted: its audio is held to nothing printed, its
	// video to decoding with far fewer errors than with a wrong key.
	audio := decodeErrors(t, name, nil, "-allowed_extensions", "ALL", "-vn")
	video := strings.Count(decodeErrors(t, name, nil, "-allowed_extensions", "ALL", "-an"), "\n")
	wrong, _ := drmtest.New("wrong").KeyAt(time.Now())
	if err := os.WriteFile(filepath.Join(dir, "key.bin"), wrong.Key[:], 0o644); err != nil {
		t.Fatal(err)
	}
	wrongAudio := decodeErrors(t, name, nil, "-allowed_extensions", "ALL", "-vn")
	wrongVideo := strings.Count(decodeErrors(t, name, nil, "-allowed_extensions", "ALL", "-an"), "\n")
	t.Logf("ffmpeg's h264 errors: %d with the key, %d with a wrong one", video, wrongVideo)
	if audio != "" {
		t.Errorf("the SAMPLE-AES playlist's audio: %s", audio)
	}
	if wrongAudio == "" || video*5 > wrongVideo {
		t.Errorf("a wrong key decodes: audio %q, video errors %d with the key, %d without", wrongAudio, video, wrongVideo)
	}
}

// probeStreams lists a file's streams as ffprobe sees them: "kind codec", comma separated.
func probeStreams(t *testing.T, name string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	// stdout only: probing decodes a few frames, which fail encrypted
	out, err := exec.CommandContext(ctx, "ffprobe", "-v", "error", "-show_entries", "stream=codec_type,codec_name",
		"-of", "csv=p=0", name).Output()
	if err != nil {
		t.Fatalf("ffprobe: %v", err)
	}
	var streams []string
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		name, kind, _ := strings.Cut(strings.TrimSpace(line), ",")
		if s := kind + " " + name; name != "" && !slices.Contains(streams, s) {
			streams = append(streams, s)
		}
	}
	return strings.Join(streams, ",")
}
