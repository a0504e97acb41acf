//go:build e2e

package play

import (
	"context"
	"os/exec"
	"testing"
	"time"
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
