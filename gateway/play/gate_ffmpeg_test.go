//go:build e2e

package play

import (
	"fmt"
	"strings"
	"testing"
)

// TestFFmpegCarriesToken: ffmpeg plays every playlist kind, the MPD and
// an archive playlist from a URL with ?token=, and every request it makes
// after the first reaches the Gate with that token and its protocol: the
// token went into every URI ffmpeg followed.
func TestFFmpegCarriesToken(t *testing.T) {
	t.Parallel()
	needTools(t)
	gate := &fakeGate{}
	hr := newGatedHarness(t, gate)
	ah := newGatedArchiveHarness(t, gate)
	for _, c := range []struct{ base, path, proto string }{
		{hr.base, "/live/bunny/index.m3u8", "hls"},
		{hr.base, "/live/bunny/index.fmp4.m3u8", "hls"},
		{hr.base, "/live/bunny/index.ll.m3u8", "hls"},
		{hr.base, "/live/bunny/index.mpd", "dash"},
		{ah.base, arcPath("clean", "index-%d-10.m3u8", 0), "hls"},
		{ah.base, arcPath("gappy", "index-%d-30.mpd", 0), "dash"},
	} {
		t.Run(strings.TrimPrefix(c.path, "/"), func(t *testing.T) {
			tok := fmt.Sprintf("tk%d", len(gate.seen()))
			before := len(gate.seen())
			decode(t, c.base+c.path+"?token="+tok, 2)
			seen := gate.seen()[before:]
			var mine int
			for _, v := range seen {
				if v.Token != tok {
					continue // another subtest's player: they run one after another, but be safe
				}
				mine++
				if v.Proto != c.proto {
					t.Errorf("%s request named %q, want %q", c.path, v.Proto, c.proto)
				}
			}
			if mine < 3 || mine != len(seen) {
				t.Errorf("%d of %d requests carried the token (want all, at least 3)", mine, len(seen))
			}
		})
	}
}
