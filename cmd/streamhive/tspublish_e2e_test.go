//go:build e2e

package main

import (
	"strings"
	"testing"
	"time"

	"streamhive/media/mediatest"
)

// TestMPEGTSPublishPlaysOverHLS: ffmpeg publishes MPEG-TS over HTTP
// (`-method POST` to /NAME/mpegts, a chunked body) into a stream that
// then plays over HLS; a stream with a password refuses the publisher
// without it (ffmpeg fails, nothing plays) and takes it with it; a stream
// with no publish:// input refuses every publisher.
func TestMPEGTSPublishPlaysOverHLS(t *testing.T) {
	if testing.Short() {
		t.Skip("real media for several seconds")
	}
	port := freePort(t)
	conf := `stream open { input publish://; segment_duration 1; }
stream locked { input publish://; password s3cret; segment_duration 1; }
stream pulled { input fake://; segment_duration 1; }
`
	p := start(t, port, "-config", writeConfig(t, t.TempDir(), port, conf))
	clip := clipFile(t, t.TempDir(), "clip.ts", 20)
	post := func(name, query string) (func() error, *mediatest.LogBuffer) {
		cmd, out := sendClip(t, clip, p.base+"/"+name+"/mpegts"+query, "-method", "POST")
		return func() error {
			select {
			case <-cmd.done:
				return cmd.err
			case <-time.After(10 * time.Second):
				return nil // still publishing: let in
			}
		}, out
	}

	for _, tc := range []struct{ name, query string }{
		{"locked", ""}, {"locked", "?password=wrong-pw"}, {"pulled", ""}, {"nope", ""},
	} {
		wait, out := post(tc.name, tc.query)
		if err := wait(); err == nil {
			t.Errorf("POST /%s/mpegts%s: ffmpeg still publishing or succeeded, want a refusal: %s", tc.name, tc.query, out)
		}
	}
	if code, body := p.do("GET", "/locked/mono.m3u8", "", ""); code == 200 {
		t.Errorf("refused stream plays: %d %.200s", code, body)
	}

	post("open", "")
	post("locked", "?password=s3cret")
	waitPlaylist(t, p.base+"/open/mono.m3u8")
	waitPlaylist(t, p.base+"/locked/mono.m3u8")
	decodeAll(t, p.base+"/open/index.m3u8", p.base+"/locked/index.m3u8")
	streams, out, ok := probeStreams(t, p.base+"/open/index.m3u8")
	if !ok || len(streams) < 2 {
		t.Errorf("ffprobe of the published stream: %v\n%s", streams, out)
	}
	_, in := inputStats(t, p, "open")
	if number(in, "ts", "packets") == 0 {
		t.Errorf("input stats %v, want ts packets", in)
	}
	if !strings.Contains(p.log.String(), "publisher refused") {
		t.Errorf("no log line for the refused publisher")
	}
	if strings.Contains(p.log.String(), "s3cret") || strings.Contains(p.log.String(), "wrong-pw") {
		t.Errorf("a password reached the log")
	}
}
