//go:build e2e

package main

import (
	"fmt"
	"testing"
)

// TestTrackSelectionDecodes: ffmpeg decodes 6 s of tracks-v1/mono.m3u8
// (video only) and tracks-a1/mono.m3u8 (audio only) from the real server,
// printing nothing, and ffprobe sees only the selected track in each;
// video.m3u8 (the set-top box playlist) carries the first video and audio
// track as MPEG-TS, and tracks-a1/index.m3u8 is a master of the audio.
func TestTrackSelectionDecodes(t *testing.T) {
	port := freePort(t)
	start(t, port, "-config", writeConfig(t, t.TempDir(), port, "stream tv { input fake://; }\n"))
	base := fmt.Sprintf("http://127.0.0.1:%d/tv/", port)
	waitPlaylist(t, base+"mono.m3u8")
	cases := []struct{ path, codecs string }{
		{"tracks-v1/mono.m3u8", "h264"},
		{"tracks-a1/mono.m3u8", "aac"},
		{"tracks-a1/index.m3u8", "aac"},
		{"video.m3u8", "h264,aac"},
	}
	for _, c := range cases {
		t.Run(c.path, func(t *testing.T) {
			// ffprobe lists an HLS input's streams twice: in its program
			// and on their own.
			if got := probeCodecs(t, base+c.path); got != c.codecs+","+c.codecs {
				t.Errorf("ffprobe sees %q, want %q", got, c.codecs)
			}
			if out, err := decodeFor(base+c.path, 6); err != nil || out != "" {
				t.Errorf("ffmpeg: %v\n%s", err, out)
			}
		})
	}
}
