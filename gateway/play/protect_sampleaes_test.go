package play

import (
	"bytes"
	"context"
	"net/http"
	"regexp"
	"testing"
	"time"

	"streamhive/media/drm"
	"streamhive/media/drm/drmtest"
	"streamhive/media/hls"
	"streamhive/media/segment"
)

var sampleKeyURI = regexp.MustCompile(`#EXT-X-KEY:METHOD=SAMPLE-AES,URI="([^"]+)"`)

// TestProtectedTSIsSampleAES: with SAMPLE-AES for TS the playlist names
// the method, a key URI and an IV, and a segment decrypts with that key
// and IV to its clear bytes.
func TestProtectedTSIsSampleAES(t *testing.T) {
	live := &fakeStream{}
	startLive(t, live, segment.Config{})
	keys := &drmtest.Static{Seed: "sample", Period: 4 * time.Second}
	h := New(Options{
		Streams:      fakeStreams{"live/bunny": live},
		ReadyTimeout: testReady,
		DRM:          drmStreams{"live/bunny": {Keys: keys, TS: drm.SampleAES, HLS: drm.CBCS, DASH: drm.CENC}},
	})
	base := serve(t, h)
	_, pl := fetch(t, base+"/live/bunny/mono.m3u8")
	m := sampleKeyURI.FindAllSubmatch(pl, -1)
	if len(m) == 0 {
		t.Fatalf("no SAMPLE-AES key in\n%s", pl)
	}
	seg, _, _ := lastSegment(t, string(pl))
	resp, enc := fetch(t, base+"/live/bunny/"+seg)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("segment: %d", resp.StatusCode)
	}
	resp, k := fetch(t, base+"/live/bunny/"+string(m[len(m)-1][1]))
	if resp.StatusCode != http.StatusOK || len(k) != 16 {
		t.Fatalf("key: %d %q", resp.StatusCode, k)
	}
	ref, err := hls.ParseName(seg)
	if err != nil {
		t.Fatal(err)
	}
	plain, _ := live.Media(context.Background(), ref)
	var key drm.Key
	copy(key.Key[:], k)
	dec, err := drm.DecryptSampleAES(enc, key, ivOf(t, string(pl), seg))
	if err != nil || !bytes.Equal(dec, plain) || bytes.Equal(enc, plain) {
		t.Errorf("the segment does not decrypt to the clear one with the key (%v)", err)
	}
}
