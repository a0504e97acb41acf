//go:build e2e

package drm_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"streamhive/media/drm"
	"streamhive/media/drm/drmtest"
	"streamhive/media/hls"
)

func needFFmpeg(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("ffmpeg"); err != nil {
		t.Skip("ffmpeg not installed")
	}
}

// decodeErrors runs ffmpeg -v error over input (with args before -i) and
// returns what it printed; an exit failure counts as printed. A "-" input
// reads stdin.
func decodeErrors(t *testing.T, input string, stdin []byte, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "ffmpeg", append(append([]string{"-v", "error"}, args...), "-i", input, "-f", "null", "-")...)
	cmd.Stdin = bytes.NewReader(stdin)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return string(out) + err.Error()
	}
	return string(out)
}

// TestCENCDecodesInFFmpeg: each track's protected init and segments decode
// with the content key and print nothing; with another key they fail.
func TestCENCDecodesInFFmpeg(t *testing.T) {
	needFFmpeg(t)
	segs := clipSegments(t)
	src := drmtest.New("ffmpeg")
	key, _ := src.KeyAt(time.Now())
	wrong, _ := drmtest.New("other").KeyAt(time.Now())
	for tr := range 2 {
		p, err := drm.ProtectTrack(segs[0].Init.CMAF[tr], key, drm.CENC, tr)
		if err != nil {
			t.Fatal(err)
		}
		file := append([]byte(nil), p.Init()...)
		for _, seg := range segs {
			enc, err := p.Encrypt(seg.CMAF[tr], seg.ProgramDateTime)
			if err != nil {
				t.Fatal(err)
			}
			file = append(file, enc...)
		}
		// Read as a player reads it, in order: FFmpeg 5.1 pairs a seekable
		// file's sample encryption info with the wrong fragment once it has
		// read ahead (its own cenc output fails the same way).
		if out := decodeErrors(t, "-", file, "-decryption_key", hex.EncodeToString(key.Key[:])); out != "" {
			t.Errorf("track %d with the key: %s", tr, out)
		}
		if out := decodeErrors(t, "-", file, "-decryption_key", hex.EncodeToString(wrong.Key[:])); out == "" {
			t.Errorf("track %d decoded with a wrong key", tr)
		}
	}
}

// TestAES128PlaylistPlaysInFFmpeg: a TS playlist protected with rotating
// keys plays to the end through ffmpeg's HLS demuxer with the key files,
// and fails with wrong ones.
func TestAES128PlaylistPlaysInFFmpeg(t *testing.T) {
	needFFmpeg(t)
	w := window(t)
	src := &drmtest.Static{Seed: "aes", Period: 4 * time.Second}
	dir := t.TempDir()
	n := hls.DefaultNames{}
	for _, seg := range w.Segments {
		k, _ := src.KeyAt(seg.ProgramDateTime)
		enc, err := drm.EncryptAES128(seg.MPEGTS(), k, drm.SequenceIV(seg.MSN))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, n.Segment(seg, hls.TS, 0)), enc, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	pl, err := hls.Media(w, hls.MediaOptions{Format: hls.TS, Names: n})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		seed string
		ok   bool
	}{{"aes", true}, {"wrong", false}} {
		keys := &drmtest.Static{Seed: tc.seed, Period: src.Period}
		out, err := drm.ProtectMediaPlaylist(pl, drm.PlaylistKeys{
			KeyAt: src.KeyAt,
			Tags: func(k drm.Key) []string {
				name := "key-" + hex.EncodeToString(k.KID[:4]) + "-" + tc.seed + ".bin"
				served, _ := keys.KeyAt(k.From)
				if err := os.WriteFile(filepath.Join(dir, name), served.Key[:], 0o644); err != nil {
					t.Fatal(err)
				}
				return drm.HLSKeyTags(k, drm.AES128, name)
			},
		})
		if err != nil {
			t.Fatal(err)
		}
		if strings.Count(string(out), "#EXT-X-KEY") < 2 {
			t.Fatalf("no rotation in\n%s", out)
		}
		name := filepath.Join(dir, tc.seed+".m3u8")
		if err := os.WriteFile(name, append(out, "#EXT-X-ENDLIST\n"...), 0o644); err != nil {
			t.Fatal(err)
		}
		got := decodeErrors(t, name, nil, "-allowed_extensions", "ALL")
		if tc.ok && got != "" {
			t.Errorf("with the keys: %s", got)
		}
		if !tc.ok && got == "" {
			t.Error("decoded with wrong keys")
		}
	}
}
