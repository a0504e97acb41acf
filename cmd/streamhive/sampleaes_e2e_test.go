//go:build e2e

package main

import (
	"bytes"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"streamhive/media/mediatest"
	"streamhive/protocols/cpix/cpixtest"
)

var sampleAESTag = regexp.MustCompile(`#EXT-X-KEY:METHOD=SAMPLE-AES,URI="[^"]+",IV=0x[0-9a-f]{32}`)

// TestSampleAESStreamPlaysInFFmpeg: a `drm cpix ... ts_method=sample_aes`
// stream serves its HLS MPEG-TS as SAMPLE-AES (the playlist's EXT-X-KEY
// says so, with the key's IV), which ffmpeg plays through our key URI
// with nothing printed; a segment read without the key does not decode.
func TestSampleAESStreamPlaysInFFmpeg(t *testing.T) {
	ks := cpixtest.New("seed")
	t.Cleanup(ks.Close)
	port := freePort(t)
	conf := fmt.Sprintf("rtmp 127.0.0.1:%d;\n"+
		"stream paid { input fake://?size=160x90&fps=10; segment_duration 1; drm cpix keyserver=%s/cpix ts_method=sample_aes; }\n",
		freePort(t), ks.URL)
	p := start(t, port, "-config", writeConfig(t, t.TempDir(), port, conf))
	var pl []byte
	mediatest.WaitFor(t, 20*time.Second, "a SAMPLE-AES playlist of 3 segments", func() bool {
		code, b := getURL(t, p.base+"/paid/mono.m3u8")
		pl = b
		return code == http.StatusOK && sampleAESTag.Match(b) && bytes.Count(b, []byte("#EXTINF")) >= 3
	})
	if bytes.Contains(pl, []byte("METHOD=AES-128")) {
		t.Errorf("AES-128 in a SAMPLE-AES playlist:\n%s", pl)
	}
	seg, _ := lastTSSegment(t, string(pl))
	code, body := getURL(t, p.base+"/paid/"+seg)
	if code != http.StatusOK || !isTS(body) {
		t.Fatalf("segment %s: %d, %d bytes of MPEG-TS: %v", seg, code, len(body), isTS(body))
	}
	decodeHLS(t, p.base+"/paid/mono.m3u8")
	if out, err := decodeFor(p.base+"/paid/"+seg, 1); err == nil && strings.TrimSpace(out) == "" {
		t.Error("a SAMPLE-AES segment decodes without its key")
	}
}
