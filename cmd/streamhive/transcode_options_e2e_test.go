//go:build e2e

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"testing"
	"time"

	"streamhive/media/mediatest"
	"streamhive/media/transcode"
)

// TestTranscodeDocumentedOptions publishes 640x360 H.264 + AAC to a stream
// whose transcoder line uses Flussonic's documented forms: deinterlace=true
// with deinterlace_rate=frame, size=-1x180 (the width follows the aspect),
// vcodec=hevc with a profile, gop= and ab=copy. ffprobe reads HEVC Main
// 320x180 at the source's 25 fps and the source's AAC from the stream's
// MPEG-TS, and its HLS decodes.
func TestTranscodeDocumentedOptions(t *testing.T) {
	if !transcode.HaveEncoder("libx265") {
		t.Skip("FFmpeg without libx265")
	}
	dir := t.TempDir()
	port, rtmpPort := freePort(t), freePort(t)
	conf := fmt.Sprintf(`rtmp 127.0.0.1:%d;
stream tco {
  input publish://;
  segment_duration 1;
  transcoder gop=25 vb=200k size=-1x180 vcodec=hevc preset=ultrafast profile=main bframes=0 deinterlace=true deinterlace_rate=frame ab=copy;
}
`, rtmpPort)
	p := start(t, port, "-config", writeConfig(t, dir, port, conf))
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	publishRTMP(ctx, t, fmt.Sprintf("rtmp://127.0.0.1:%d/live/tco", rtmpPort), "640x360", 30)

	var streams []probedRate
	var out []byte
	mediatest.WaitFor(t, 30*time.Second, "ffprobe to read the transcoded MPEG-TS", func() bool {
		pctx, pcancel := context.WithTimeout(ctx, 10*time.Second)
		defer pcancel()
		var err error
		out, err = exec.CommandContext(pctx, "ffprobe", "-v", "error", "-analyzeduration", "2000000", "-show_streams", "-of", "json", p.base+"/tco/mpegts").Output()
		var probe struct {
			Streams []probedRate `json:"streams"`
		}
		if err != nil || json.Unmarshal(out, &probe) != nil {
			return false
		}
		streams = probe.Streams
		return len(streams) == 2
	})
	var video, audio bool
	for _, s := range streams {
		video = video || (s.Codec == "hevc" && s.Profile == "Main" && s.Width == 320 && s.Height == 180 && s.Rate == "25/1")
		audio = audio || s.Codec == "aac"
	}
	if !video || !audio {
		t.Errorf("want HEVC Main 320x180 at 25/1 and the source's AAC, got %s", out)
	}
	// The same rendition plays over HLS: HEVC in its segments decodes.
	decodeHLS(t, p.base+"/tco/index.m3u8")
}

// probedRate is a stream as ffprobe reports it, with profile and rate.
type probedRate struct {
	Codec   string `json:"codec_name"`
	Profile string `json:"profile"`
	Width   int    `json:"width"`
	Height  int    `json:"height"`
	Rate    string `json:"r_frame_rate"`
}
