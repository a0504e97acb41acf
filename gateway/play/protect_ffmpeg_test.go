//go:build e2e

package play

import (
	"bytes"
	"context"
	"encoding/hex"
	"os/exec"
	"sync"
	"testing"
	"time"

	"github.com/Eyevinn/mp4ff/mp4"
)

// TestProtectedHLSPlaysInFFmpeg: ffmpeg plays the protected stream's
// AES-128 playlists over HTTP, fetching the rotating keys from the key
// URI the playlist names; a segment read without its key does not decode.
func TestProtectedHLSPlaysInFFmpeg(t *testing.T) {
	t.Parallel()
	needTools(t)
	base, _, _ := protectedHarness(t)
	for _, path := range []string{"mono.m3u8", "index.m3u8"} {
		t.Run(path, func(t *testing.T) {
			url := base + "/live/bunny/" + path
			probe(t, url)
			decode(t, url, 5)
		})
	}
	_, pl := fetch(t, base+"/live/bunny/mono.m3u8")
	seg, _, _ := lastSegment(t, string(pl))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "ffmpeg", "-v", "error", "-nostdin", "-i", base+"/live/bunny/"+seg, "-f", "null", "-").CombinedOutput()
	if err == nil && len(out) == 0 {
		t.Error("an encrypted segment decoded without its key")
	}
}

// TestProtectedArchivePlaysInFFmpeg: ffmpeg decodes the whole protected
// archive (20 s, keys rotating every 4 s of recording time, an IV per
// segment) with the keys our key URI gives, printing nothing.
func TestProtectedArchivePlaysInFFmpeg(t *testing.T) {
	t.Parallel()
	needTools(t)
	ah, _ := protectedArchive(t)
	url := ah.base + arcPath("paid", "index-%d-20.m3u8", 0)
	decodeAll(t, url)
	if s := probeSeconds(t, url); s < 19 || s > 21 {
		t.Errorf("ffprobe reads %.1f s, want the 20 s recorded", s)
	}
}

// TestProtectedArchiveCMAFPlaysInFFmpeg: every key run of the protected
// archive decodes in ffmpeg printing nothing: the DASH Periods (CENC)
// with their key given to ffmpeg, read in order on stdin (ffmpeg 5.1
// pairs a seekable file's sample encryption info with the wrong
// fragment), the HLS fMP4 runs (CBCS) once mp4ff has decrypted them
// with their key; with another run's key neither decodes clean.
func TestProtectedArchiveCMAFPlaysInFFmpeg(t *testing.T) {
	t.Parallel()
	needTools(t)
	ah, _ := protectedArchive(t)
	type play struct {
		what string
		args []string
		data []byte
		ok   bool
	}
	var plays []play
	for _, dash := range []bool{true, false} {
		runs := archiveHLSRuns(t, ah, "")
		if dash {
			runs = archiveDASHRuns(t, ah, "")
		}
		for i, r := range runs {
			_, file := fetch(t, ah.base+"/paid/"+r.init)
			for _, seg := range r.segs {
				_, b := fetch(t, ah.base+"/paid/"+seg)
				file = append(file, b...)
			}
			keys := [][]byte{r.key}
			if i == 0 { // and another run's key, which must not decode
				keys = append(keys, runs[len(runs)-1].key)
			}
			for j, k := range keys {
				p := play{what: r.where, ok: j == 0}
				if dash {
					p.args, p.data = []string{"-decryption_key", hex.EncodeToString(k)}, file
				} else {
					p.data = decryptedFile(t, file, k)
				}
				plays = append(plays, p)
			}
		}
	}
	var wg sync.WaitGroup
	work := make(chan play)
	for range 2 {
		wg.Go(func() {
			for p := range work {
				out := ffmpegStdin(p.data, p.args...)
				if p.ok && out != "" {
					t.Errorf("%s with its key: %s", p.what, out)
				}
				if !p.ok && out == "" {
					t.Errorf("%s decoded with another run's key", p.what)
				}
			}
		})
	}
	for _, p := range plays {
		work <- p
	}
	close(work)
	wg.Wait()
}

// ffmpegStdin has ffmpeg decode data from stdin (args before -i) and
// returns what it printed at -v error; an exit failure counts as printed.
func ffmpegStdin(data []byte, args ...string) string {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "ffmpeg", append(append([]string{"-v", "error"}, args...), "-i", "-", "-f", "null", "-")...)
	cmd.Stdin = bytes.NewReader(data)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return string(out) + err.Error()
	}
	return string(out)
}

// decryptedFile is an encrypted init and its fragments decrypted with key
// by mp4ff, as one clear fMP4 file.
func decryptedFile(t *testing.T, file, key []byte) []byte {
	t.Helper()
	f, err := mp4.DecodeFile(bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	di, err := mp4.DecryptInit(f.Init)
	if err != nil {
		t.Fatal(err)
	}
	for _, seg := range f.Segments {
		if err := mp4.DecryptSegment(seg, di, key); err != nil {
			t.Fatal(err)
		}
	}
	var out bytes.Buffer
	if err := f.Encode(&out); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}
