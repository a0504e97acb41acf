package play

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"encoding/hex"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"streamhive/actors/sessions"
	"streamhive/media/drm"
	"streamhive/media/drm/drmtest"
	"streamhive/media/dvr/export/archivetest"
)

var archiveKeyTag = regexp.MustCompile(`#EXT-X-KEY:METHOD=AES-128,URI="([^"]+)",IV=0x([0-9a-f]{32})`)

// TestProtectedArchiveTS: a protected stream's archive plays as AES-128
// HLS MPEG-TS, each segment with the key of its recording time (keys
// rotating every 4 s of it) from our key URI and its start as IV, and
// decrypts to the clear archived segment; the outputs the archive cannot
// encrypt (MP4, one .ts file, pictures) are refused; an at= that is no
// time is a 400; with no key, a 503.
func TestProtectedArchiveTS(t *testing.T) {
	t.Parallel()
	ah, keys := protectedArchive(t)

	_, master := ah.get(t, arcPath("paid", "index-%d-20.m3u8", 0), 200)
	_, pl := ah.get(t, "/paid/"+lastURI(master), 200)
	tags := archiveKeyTag.FindAllStringSubmatch(pl, -1)
	if n := strings.Count(pl, "#EXTINF"); n == 0 || len(tags) != n {
		t.Fatalf("%d key tags for %d segments:\n%s", len(tags), n, pl)
	}
	kids := map[string]bool{}
	segs := 0
	for _, line := range strings.Split(pl, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		tag := tags[segs]
		segs++
		_, kid, _ := strings.Cut(tag[1], "kid=")
		kid, _, _ = strings.Cut(kid, "&")
		kids[kid] = true
		_, enc := ah.get(t, "/paid/"+line, 200)
		_, clearSeg := ah.get(t, "/open/"+line, 200)
		_, k := ah.get(t, "/paid/"+tag[1], 200)
		iv, _ := hex.DecodeString(tag[2])
		block, err := aes.NewCipher([]byte(k))
		if err != nil {
			t.Fatal(err)
		}
		if len(enc)%aes.BlockSize != 0 || bytes.Equal([]byte(enc), []byte(clearSeg)) {
			t.Fatalf("segment %s not encrypted", line)
		}
		dec := make([]byte, len(enc))
		cipher.NewCBCDecrypter(block, iv).CryptBlocks(dec, []byte(enc))
		if !bytes.Equal(dec[:len(dec)-int(dec[len(dec)-1])], []byte(clearSeg)) {
			t.Errorf("segment %s does not decrypt to the archived one", line)
		}
	}
	if len(kids) < 4 {
		t.Errorf("%d keys over 20 s recorded with a 4 s period", len(kids))
	}
	for _, path := range []string{
		arcPath("paid", "archive-%d-20.mp4", 0), arcPath("paid", "archive-%d-20.ts", 0),
		"/paid/timeshift_rel-10.ts", arcPath("paid", "%d.jpg", 5), arcPath("paid", "%d-preview.mp4", 5),
	} {
		if resp, body := fetch(t, ah.base+path); resp.StatusCode != http.StatusForbidden {
			t.Errorf("%s: %d %.200s, want 403", path, resp.StatusCode, body)
		}
	}
	for _, q := range []string{"at=x", "at=-5", "at=01", "at=99999999999999999999"} {
		resp, body := fetch(t, ah.base+"/paid/drm/key?kid="+strings.Repeat("0", 32)+"&"+q)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), `"bad_request"`) {
			t.Errorf("key with %s: %d %.200s, want 400", q, resp.StatusCode, body)
		}
	}
	if resp, body := fetch(t, ah.base+arcPath("paid", "dvr-init-%d000.t0.mp4?drm_at=x", 0)); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("init with drm_at=x: %d %.200s, want 400", resp.StatusCode, body)
	}
	keys.SetDown(true)
	if resp, body := fetch(t, ah.base+"/paid/"+lastURI(master)); resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("playlist with no key: %d %.200s", resp.StatusCode, body)
	}
}

// protectedArchive serves 20 s recorded from arcT0 as stream paid
// (protected, keys rotating every 4 s) and as open (clear).
func protectedArchive(t *testing.T) (*archiveHarness, *drmtest.Static) {
	t.Helper()
	return gatedProtectedArchive(t, nil)
}

// gatedProtectedArchive is protectedArchive with every request through gate.
func gatedProtectedArchive(t *testing.T, gate sessions.Gate) (*archiveHarness, *drmtest.Static) {
	t.Helper()
	arc := archivetest.New()
	if err := arc.Record(loadClip(t), nil, arcT0, 20*time.Second); err != nil {
		t.Fatal(err)
	}
	keys := &drmtest.Static{Seed: "archive", Period: 4 * time.Second}
	streams := arcStreams{"paid": archivedStream{&fakeStream{}, arc}, "open": archivedStream{&fakeStream{}, arc}}
	h := New(Options{
		Streams: streams, ReadyTimeout: testReady, Gate: gate,
		DRM: drmStreams{"paid": Protection{Keys: keys, TS: drm.AES128, HLS: drm.CBCS, DASH: drm.CENC}},
	})
	return &archiveHarness{base: serve(t, h)}, keys
}
