//go:build e2e

package main

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"streamhive/media/mediatest"
)

// m4fPair starts node A (stream x from fake://, cluster_key keyA) and node
// B (stream x relayed from A over m4f://, cluster_key keyB) and returns
// them.
func m4fPair(t *testing.T, keyA, keyB string) (a, b *proc) {
	t.Helper()
	portA, portB := freePort(t), freePort(t)
	confA := fmt.Sprintf("cluster_key %s;\nstream x { input fake://?bitrate=800000; segment_duration 1; }\n", keyA)
	a = start(t, portA, "-config", writeConfig(t, t.TempDir(), portA, confA))
	confB := fmt.Sprintf("cluster_key %s;\nstream x { input m4f://127.0.0.1:%d/x; segment_duration 1; }\n", keyB, portA)
	b = start(t, portB, "-config", writeConfig(t, t.TempDir(), portB, confB))
	return a, b
}

// TestM4FRelayPlaysOverHLS: node B relays node A's stream over m4f:// and
// its HLS probes and decodes; the owner sends one copy to the edge,
// whatever the edge's viewers, at the stream's own bitrate (measured and
// logged: the figure the report quotes).
func TestM4FRelayPlaysOverHLS(t *testing.T) {
	a, b := m4fPair(t, "samekey", "samekey")
	hls := b.base + "/x/index.m3u8"
	mediatest.WaitFor(t, 30*time.Second, "the relay's HLS", func() bool {
		code, _ := b.do("GET", "/x/index.m3u8", "", "")
		return code == 200
	})
	if got := probeCodecs(t, hls); !strings.Contains(got, "h264") || !strings.Contains(got, "aac") {
		t.Errorf("ffprobe of the relay's HLS: %q, want h264 and aac", got)
	}

	// The owner's upload to the edge vs the stream's bitrate, over 5 s
	// while three viewers decode from the edge.
	viewers := make(chan struct{})
	go func() { defer close(viewers); decodeAll(t, hls, hls, hls) }()
	_, in0 := inputStats(t, b, "x")
	t0 := time.Now()
	time.Sleep(5 * time.Second) // a measurement window, not a synchronisation
	_, in1 := inputStats(t, b, "x")
	secs := time.Since(t0).Seconds()
	<-viewers
	upload := (in1["bytes"].(float64) - in0["bytes"].(float64)) * 8 / secs / 1000
	_, srcIn := inputStats(t, a, "x")
	source, _ := srcIn["bitrate"].(float64)
	t.Logf("owner's upload to one edge: %.0f kbit/s; the stream's input on the owner: %.0f kbit/s (ratio %.2f)",
		upload, source, upload/source)
	if source > 0 && (upload > 1.5*source || upload < 0.5*source) {
		t.Errorf("the edge receives %.0f kbit/s of a %.0f kbit/s stream: not one copy", upload, source)
	}
	if n := strings.Count(a.log.String(), "m4f: pull ended"); n != 0 {
		t.Errorf("the owner ended %d pulls while the edge played:\n%s", n, a.log.String())
	}
	if e, _ := in1["errors"].(float64); e != 0 {
		t.Errorf("the relay's input counted %v errors", e)
	}
}

// TestM4FWrongKey: a node with another cluster_key is refused; its input
// fails and its log says why, and the owner's log says it refused.
func TestM4FWrongKey(t *testing.T) {
	a, b := m4fPair(t, "ownerkey", "otherkey")
	mediatest.WaitFor(t, 20*time.Second, "the relay's input to fail on the key", func() bool {
		_, in := inputStats(t, b, "x")
		last, _ := in["last_error"].(string)
		return strings.Contains(last, "refused the cluster key")
	})
	if !strings.Contains(b.log.String(), "refused the cluster key") {
		t.Errorf("the relay's log does not say why its input fails:\n%s", b.log.String())
	}
	if !strings.Contains(a.log.String(), "m4f: pull refused") {
		t.Errorf("the owner's log does not show the refusal:\n%s", a.log.String())
	}
	if strings.Contains(a.log.String()+b.log.String(), "ownerkey") || strings.Contains(a.log.String()+b.log.String(), "otherkey") {
		t.Error("a cluster key reached a log")
	}
	if code, _ := b.do("GET", "/x/index.m3u8", "", ""); code == 200 {
		t.Error("the relay serves HLS without its source")
	}
}
