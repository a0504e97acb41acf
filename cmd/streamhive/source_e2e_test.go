//go:build e2e

package main

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"streamhive/media/mediatest"
)

// TestSourceRestreams: a restreamer with `source ORIGIN { only x; }` and
// a cluster_key of its own for it learns the origin's streams from its
// probe answer (the origin is in no cluster) and plays x over HLS through
// a relay; y, which the origin runs but the line does not take, is 404.
func TestSourceRestreams(t *testing.T) {
	portA, portB := freePort(t), freePort(t)
	confA := "cluster_key originkey;\n" +
		"stream x { input fake://?bitrate=400000; segment_duration 1; }\n" +
		"stream y { input fake://?bitrate=400000; segment_duration 1; }\n"
	start(t, portA, "-config", writeConfig(t, t.TempDir(), portA, confA))
	confB := fmt.Sprintf("cluster_key localkey;\nsource 127.0.0.1:%d { only x; cluster_key originkey; }\n", portA)
	b := start(t, portB, "-config", writeConfig(t, t.TempDir(), portB, confB))

	t0 := time.Now()
	mediatest.WaitFor(t, 20*time.Second, "the restreamed x over HLS", func() bool {
		code, body := b.do("GET", "/x/index.m3u8", "", "")
		return code == 200 && strings.Contains(body, "#EXTM3U")
	})
	t.Logf("the restreamer's first playlist of x: %v after it was ready", time.Since(t0).Round(time.Millisecond))
	if got := probeCodecs(t, b.base+"/x/index.m3u8"); !strings.Contains(got, "h264") {
		t.Errorf("ffprobe of the restreamed HLS: %q, want h264", got)
	}
	if code, body := b.do("GET", "/y/index.m3u8", "", ""); code != 404 {
		t.Errorf("y, not in the source's only: %d %s, want 404", code, body)
	}
}
