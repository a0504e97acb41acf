//go:build e2e

package drm_test

import (
	"bytes"
	"context"
	"crypto/aes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"streamhive/media/drm"
	"streamhive/media/drm/drmtest"
	"streamhive/media/segment"
)

// TestSampleAESInFFmpeg: encrypted segments still probe as MPEG-TS with an
// H.264 and an AAC stream; a SAMPLE-AES playlist of them plays through
// ffmpeg's HLS demuxer, its audio with nothing printed; and what ffmpeg
// decrypts is the clear elementary stream NAL unit for NAL unit, slices
// holding emulation prevention bytes too, but for the NAL units its own
// bug hits (ffmpegLateNALs): with an IV per segment, each segment's last
// frames; with the key's IV in EXT-X-KEY, as we serve it, the last
// segment's only.
func TestSampleAESInFFmpeg(t *testing.T) {
	needFFmpeg(t)
	key, _ := drmtest.New("sample-aes").KeyAt(time.Now())
	perKey := func(uint64) []byte { return drm.SampleAESIV(key) }
	for name, segs := range map[string][]*segment.Segment{"clip": clipSegments(t), "planted": epbSegments(t)} {
		for mode, ivOf := range map[string]func(uint64) []byte{"segment": drm.SequenceIV, "key": perKey} {
			dir := t.TempDir()
			writeSampleAESPlaylist(t, dir, segs, key, ivOf, mode == "key")
			for _, seg := range segs {
				if got := probeStreams(t, filepath.Join(dir, fmt.Sprintf("enc%d.ts", seg.MSN))); got != "video h264,audio aac" {
					t.Errorf("%s segment %d probes as %q", name, seg.MSN, got)
				}
			}
			late := ffmpegLateNALs(t, dir, segs, key, ivOf)
			t.Logf("%s, an IV per %s: %d late NAL units, in segments %v", name, mode, len(late), slices.Compact(slices.Clone(late)))
			if mode == "key" && slices.ContainsFunc(late, func(k int) bool { return k != len(segs)-1 }) {
				t.Errorf("%s: with the key's IV, NAL units decrypted wrong before the last segment: %v", name, late)
			}
			if name == "clip" && mode == "segment" {
				decodesOnlyWithTheKey(t, dir)
			}
		}
	}
}

// decodesOnlyWithTheKey: dir's encrypted playlist decodes its audio with
// nothing printed, its video with few errors (ffmpeg's late NAL units),
// and neither with a wrong key.
func decodesOnlyWithTheKey(t *testing.T, dir string) {
	t.Helper()
	pl := filepath.Join(dir, "enc.m3u8")
	audio := decodeErrors(t, pl, nil, "-allowed_extensions", "ALL", "-vn")
	video := strings.Count(decodeErrors(t, pl, nil, "-allowed_extensions", "ALL", "-an"), "\n")
	wrong, _ := drmtest.New("wrong").KeyAt(time.Now())
	if err := os.WriteFile(filepath.Join(dir, "key.bin"), wrong.Key[:], 0o644); err != nil {
		t.Fatal(err)
	}
	wrongAudio := decodeErrors(t, pl, nil, "-allowed_extensions", "ALL", "-vn")
	wrongVideo := strings.Count(decodeErrors(t, pl, nil, "-allowed_extensions", "ALL", "-an"), "\n")
	t.Logf("ffmpeg's h264 error lines: %d with the key (its late NAL units), %d with a wrong one", video, wrongVideo)
	if audio != "" {
		t.Errorf("the SAMPLE-AES playlist's audio: %s", audio)
	}
	if wrongAudio == "" || video*10 > wrongVideo {
		t.Errorf("a wrong key decodes: audio %q, video errors %d with the key, %d without", wrongAudio, video, wrongVideo)
	}
}

// writeSampleAESPlaylist writes segs clear (clear%d.ts, clear.m3u8) and
// SAMPLE-AES encrypted with ivOf(sequence number) (enc%d.ts, enc.m3u8,
// key.bin) into dir; withIV: its EXT-X-KEY is HLSKeyTags' (the key's IV),
// as the server writes it.
func writeSampleAESPlaylist(t *testing.T, dir string, segs []*segment.Segment, key drm.Key, ivOf func(uint64) []byte, withIV bool) {
	t.Helper()
	files := map[string][]byte{"key.bin": key.Key[:]}
	head := "#EXTM3U\n#EXT-X-TARGETDURATION:3\n#EXT-X-MEDIA-SEQUENCE:0\n"
	plain, enc := head, head+"#EXT-X-KEY:METHOD=SAMPLE-AES,URI=\"key.bin\"\n"
	if withIV {
		enc = head + drm.HLSKeyTags(key, drm.SampleAES, "key.bin")[0] + "\n"
	}
	for i, seg := range segs {
		if seg.MSN != uint64(i) {
			t.Fatalf("segment %d has sequence number %d", i, seg.MSN)
		}
		b, err := drm.EncryptSampleAES(seg.MPEGTS(), key, ivOf(seg.MSN))
		if err != nil {
			t.Fatal(err)
		}
		files[fmt.Sprintf("enc%d.ts", i)], files[fmt.Sprintf("clear%d.ts", i)] = b, seg.MPEGTS()
		plain += fmt.Sprintf("#EXTINF:%.3f,\nclear%d.ts\n", seg.Duration.Seconds(), i)
		enc += fmt.Sprintf("#EXTINF:%.3f,\nenc%d.ts\n", seg.Duration.Seconds(), i)
	}
	files["clear.m3u8"], files["enc.m3u8"] = []byte(plain+"#EXT-X-ENDLIST\n"), []byte(enc+"#EXT-X-ENDLIST\n")
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// ffmpegLateNALs has ffmpeg copy the video of dir's clear and encrypted
// playlists to H.264 streams and holds what it decrypted to the clear NAL
// units, but for those of a segment's last two access units: FFmpeg 5.1
// (hls.c) decrypts a packet with the IV and key of the segment it is
// reading when the packet leaves the MPEG-TS demuxer and its parser, which
// hold a segment's last frames until the next segment's PES arrive, so
// those get the next segment's IV, and the last segment's none at all (it
// has no current segment at the end). Each such NAL unit must be the
// encrypted one decrypted per the spec with that IV, or left as it is:
// then every difference is ffmpeg's, and every other byte decrypts right.
// It returns the segment of each late NAL unit.
func ffmpegLateNALs(t *testing.T, dir string, segs []*segment.Segment, key drm.Key, ivOf func(uint64) []byte) []int {
	t.Helper()
	var clearNALs, encNALs [][]byte
	var segOf, tail []int // each NAL unit's segment; how many access units of its segment start after it
	for i, seg := range segs {
		nals := nalUnits(demuxES(t, seg.MPEGTS())[256])
		enc, err := os.ReadFile(filepath.Join(dir, fmt.Sprintf("enc%d.ts", i)))
		if err != nil {
			t.Fatal(err)
		}
		clearNALs, encNALs = append(clearNALs, nals...), append(encNALs, nalUnits(demuxES(t, enc)[256])...)
		after := make([]int, len(nals))
		for j, aus := len(nals)-1, 0; j >= 0; j-- {
			after[j] = aus
			if nals[j][0]&0x1f == 9 {
				aus++
			}
			segOf = append(segOf, i)
		}
		tail = append(tail, after...)
	}
	got := map[string][][]byte{}
	for _, pl := range []string{"clear", "enc"} {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		out, err := exec.CommandContext(ctx, "ffmpeg", "-v", "error", "-allowed_extensions", "ALL", "-i", filepath.Join(dir, pl+".m3u8"),
			"-map", "0:v", "-c", "copy", "-f", "h264", "-").Output()
		cancel()
		if err != nil {
			t.Fatalf("ffmpeg copying %s: %v", pl, err)
		}
		got[pl] = nalUnits(out)
	}
	if len(got["clear"]) != len(clearNALs) || len(got["enc"]) != len(clearNALs) || len(encNALs) != len(clearNALs) {
		t.Fatalf("NAL units: %d clear, ffmpeg copied %d clear and %d decrypted", len(clearNALs), len(got["clear"]), len(got["enc"]))
	}
	block, _ := aes.NewCipher(key.Key[:])
	var late []int
	for i, want := range clearNALs {
		if !bytes.Equal(got["clear"][i], want) {
			t.Fatalf("NAL unit %d: ffmpeg copies the clear stream differently", i)
		}
		dec := got["enc"][i]
		if bytes.Equal(dec, want) {
			continue
		}
		k := segOf[i]
		late = append(late, k)
		bug := encNALs[i] // the last segment's: not decrypted
		if k+1 < len(segs) {
			bug = specNAL(bytes.Clone(encNALs[i]), block, ivOf(uint64(k+1)))
		}
		if tail[i] > 1 || !bytes.Equal(dec, bug) {
			t.Errorf("NAL unit %d (segment %d, type %d, %d access units after it): ffmpeg decrypted it wrong, not by its late IV",
				i, k, want[0]&0x1f, tail[i])
		}
	}
	return late
}

// nalUnits splits an Annex B stream into its NAL units, without start
// codes or trailing zeros.
func nalUnits(es []byte) [][]byte {
	var out [][]byte
	for _, nal := range bytes.Split(es, []byte{0, 0, 1})[1:] {
		out = append(out, bytes.TrimRight(nal, "\x00"))
	}
	return out
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
