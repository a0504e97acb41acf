package play

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/Eyevinn/mp4ff/mp4"

	"streamhive/media/drm"
	"streamhive/media/drm/drmtest"
	"streamhive/media/hls"
	"streamhive/media/segment"
)

// drmStreams protects the streams it names.
type drmStreams map[string]Protection

func (d drmStreams) Protection(name string) (Protection, bool) {
	p, ok := d[name]
	return p, ok
}

// panicWHEP fails the test by panicking if a viewer reaches it.
type panicWHEP struct{}

func (panicWHEP) Play(context.Context, WHEPViewer) ([]byte, string, error) {
	panic("whep reached for a protected stream")
}

func (panicWHEP) Trickle(context.Context, string, string, []byte) ([]byte, error) {
	panic("whep reached for a protected stream")
}
func (panicWHEP) End(string, string) error { panic("whep reached for a protected stream") }

// protectedHarness serves live/bunny protected with keys rotating every
// 4 s (AES-128 for TS, CBCS for HLS fMP4, CENC for DASH) and "jpeg" the
// same stream protected with JPEG previews let out clear.
func protectedHarness(t *testing.T) (string, *drmtest.Static, *fakeStream) {
	t.Helper()
	live := &fakeStream{preview: testJPEG(t)}
	startLive(t, live, segment.Config{})
	keys := &drmtest.Static{Seed: "play", Period: 4 * time.Second}
	p := Protection{Keys: keys, TS: drm.AES128, HLS: drm.CBCS, DASH: drm.CENC}
	clearJPEG := p
	clearJPEG.Clear = []string{ProtoJPEG}
	h := New(Options{
		Streams:      fakeStreams{"live/bunny": live, "jpeg": live},
		ReadyTimeout: testReady,
		DRM:          drmStreams{"live/bunny": p, "jpeg": clearJPEG},
		WHEP:         panicWHEP{},
	})
	return serve(t, h), keys, live
}

func TestProtectedRefusesClearOutputs(t *testing.T) {
	base, _, _ := protectedHarness(t)
	for _, path := range []string{"/live/bunny/preview.jpg", "/live/bunny/mpegts", "/live/bunny/preview.mp4", "/live/bunny/mse_ld"} {
		resp, body := fetch(t, base+path)
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(string(body), codeProtected) {
			t.Errorf("%s: %d %s", path, resp.StatusCode, body)
		}
	}
	if resp, _ := fetch(t, base+"/jpeg/preview.jpg"); resp.StatusCode != http.StatusOK {
		t.Errorf("preview let out clear: %d", resp.StatusCode)
	}
	req, _ := http.NewRequest(http.MethodPost, base+"/live/bunny/whep", strings.NewReader("v=0"))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("whep: %d", resp.StatusCode)
	}
}

var (
	keyURI = regexp.MustCompile(`#EXT-X-KEY:METHOD=AES-128,URI="([^"]+)"`)
	mapURI = regexp.MustCompile(`#EXT-X-MAP:URI="([^"]+)"`)
)

var tagIV = regexp.MustCompile(`#EXT-X-KEY:.*,IV=0x([0-9a-f]{32})`)

// ivOf is the IV of the last key tag before the segment or part uri of
// a playlist (its EXT-X-KEY's IV attribute; every TS segment has one).
func ivOf(t *testing.T, pl, uri string) []byte {
	t.Helper()
	var iv []byte
	for _, line := range strings.Split(pl, "\n") {
		if m := tagIV.FindStringSubmatch(line); m != nil {
			iv, _ = hex.DecodeString(m[1])
		}
		if line == uri || strings.Contains(line, `URI="`+uri+`"`) {
			break
		}
	}
	if len(iv) != 16 {
		t.Fatalf("no IV before %s in\n%s", uri, pl)
	}
	return iv
}

// lastSegment is the last segment URI of a playlist and the key tag and
// map before it.
func lastSegment(t *testing.T, pl string) (seg, key, init string) {
	t.Helper()
	for _, line := range strings.Split(pl, "\n") {
		switch {
		case keyURI.MatchString(line):
			key = keyURI.FindStringSubmatch(line)[1]
		case mapURI.MatchString(line):
			init = mapURI.FindStringSubmatch(line)[1]
		case strings.HasPrefix(line, "#EXT-X-KEY:") && key == "":
			key = line
		case line != "" && !strings.HasPrefix(line, "#"):
			seg = line
		}
	}
	if seg == "" || key == "" {
		t.Fatalf("no segment or key in\n%s", pl)
	}
	return seg, key, init
}

func TestProtectedTSIsAES128(t *testing.T) {
	base, _, live := protectedHarness(t)
	_, pl := fetch(t, base+"/live/bunny/mono.m3u8")
	seg, key, _ := lastSegment(t, string(pl))
	resp, enc := fetch(t, base+"/live/bunny/"+seg)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("segment: %d", resp.StatusCode)
	}
	resp, k := fetch(t, base+"/live/bunny/"+key)
	if resp.StatusCode != http.StatusOK || len(k) != 16 {
		t.Fatalf("key: %d %q", resp.StatusCode, k)
	}
	ref, err := hls.ParseName(seg)
	if err != nil {
		t.Fatal(err)
	}
	plain, _ := live.Media(context.Background(), ref)
	block, _ := aes.NewCipher(k)
	dec := make([]byte, len(enc))
	iv := ivOf(t, string(pl), seg)
	if !bytes.Equal(iv, drm.SequenceIV(uint64(live.Window().Segment(ref.MSN).ProgramDateTime.UnixMilli()))) {
		t.Errorf("IV %x is not the segment's program date time", iv)
	}
	cipher.NewCBCDecrypter(block, iv).CryptBlocks(dec, enc)
	if len(dec) == 0 || !bytes.Equal(dec[:len(dec)-int(dec[len(dec)-1])], plain) {
		t.Error("the segment does not decrypt to the clear one with the key")
	}
}

// decryptedSamples decrypts init+data with key and returns their samples.
func decryptedSamples(t *testing.T, init, data, key []byte) []byte {
	t.Helper()
	f, err := mp4.DecodeFile(bytes.NewReader(append(append([]byte(nil), init...), data...)))
	if err != nil {
		t.Fatal(err)
	}
	var di mp4.DecryptInfo
	if key != nil {
		if di, err = mp4.DecryptInit(f.Init); err != nil {
			t.Fatal(err)
		}
	}
	var out []byte
	for _, seg := range f.Segments {
		if key != nil {
			if err := mp4.DecryptSegment(seg, di, key); err != nil {
				t.Fatal(err)
			}
		}
		for _, frag := range seg.Fragments {
			fss, err := frag.GetFullSamples(f.Init.Moov.Mvex.Trex)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range fss {
				out = append(out, s.Data...)
			}
		}
	}
	return out
}

func TestProtectedFMP4AndDASH(t *testing.T) {
	base, keys, live := protectedHarness(t)
	_, pl := fetch(t, base+"/live/bunny/track-0.m3u8")
	if !strings.Contains(string(pl), `KEYFORMAT="org.w3.clearkey"`) || !strings.Contains(string(pl), drmAtKey+"=") {
		t.Fatalf("fMP4 playlist signalling:\n%s", pl)
	}
	seg, _, init := lastSegment(t, string(pl))
	_, encInit := fetch(t, base+"/live/bunny/"+init)
	_, enc := fetch(t, base+"/live/bunny/"+seg)
	ref, _ := hls.ParseName(seg)
	plain, _ := live.Media(context.Background(), ref)
	w := live.Window()
	k, _ := keys.KeyAt(w.Segment(ref.MSN).ProgramDateTime)
	clearInit, _ := live.Media(context.Background(), hls.Ref{Format: hls.FMP4, Init: true, Epoch: w.Segment(ref.MSN).Init.Epoch})
	if got := decryptedSamples(t, encInit, enc, k.Key[:]); !bytes.Equal(got, decryptedSamples(t, clearInit, plain, nil)) {
		t.Error("HLS fMP4: samples differ after decryption")
	}

	_, mpd := fetch(t, base+"/live/bunny/index.mpd")
	if !bytes.Contains(mpd, []byte(`value="cenc" cenc:default_KID=`)) || !bytes.Contains(mpd, []byte(base+"/live/bunny/drm/clearkey")) {
		t.Fatalf("MPD signalling:\n%s", mpd)
	}
	// The ClearKey license for the MPD's key.
	kid := regexp.MustCompile(`default_KID="([^"]+)"`).FindSubmatch(mpd)[1]
	raw, _ := hex.DecodeString(strings.ReplaceAll(string(kid), "-", ""))
	body := `{"kids":["` + base64.RawURLEncoding.EncodeToString(raw) + `"],"type":"temporary"}`
	resp, err := http.Post(base+"/live/bunny/drm/clearkey", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	var lic bytes.Buffer
	_, _ = lic.ReadFrom(resp.Body)
	if resp.StatusCode != http.StatusOK || !strings.Contains(lic.String(), `"kty":"oct"`) {
		t.Errorf("license: %d %s", resp.StatusCode, lic.String())
	}
}

func TestProtectedFailsClosedWithoutKeys(t *testing.T) {
	base, keys, _ := protectedHarness(t)
	_, pl := fetch(t, base+"/live/bunny/mono.m3u8")
	seg, _, _ := lastSegment(t, string(pl))
	keys.SetDown(true)
	for _, path := range []string{"/live/bunny/" + seg, "/live/bunny/index.mpd", "/live/bunny/drm/clearkey"} {
		resp, body := fetch(t, base+path)
		if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(body), codeNoKey) {
			t.Errorf("%s with the key source down: %d %s", path, resp.StatusCode, body)
		}
	}
	keys.SetDown(false)
	if resp, _ := fetch(t, base+"/live/bunny/"+seg); resp.StatusCode != http.StatusOK {
		t.Errorf("segment after the key source returned: %d", resp.StatusCode)
	}
}

// TestProtectedLLHLSParts: the low-latency playlist announces the key
// before the parts, and a part decrypts on its own with it and the IV of
// its parent segment's key tag.
func TestProtectedLLHLSParts(t *testing.T) {
	base, _, live := protectedHarness(t)
	_, pl := fetch(t, base+"/live/bunny/mono.ll.m3u8")
	partURI := regexp.MustCompile(`#EXT-X-PART:[^\n]*URI="([^"]+)"`).FindAllStringSubmatch(string(pl), -1)
	if len(partURI) == 0 || strings.Index(string(pl), "#EXT-X-KEY") > strings.Index(string(pl), "#EXT-X-PART:") {
		t.Fatalf("no parts after a key in\n%s", pl)
	}
	name := partURI[len(partURI)-1][1]
	var key string
	for _, line := range strings.Split(string(pl), "\n") {
		if m := keyURI.FindStringSubmatch(line); m != nil {
			key = m[1]
		}
		if strings.Contains(line, `"`+name+`"`) {
			break
		}
	}
	_, enc := fetch(t, base+"/live/bunny/"+name)
	_, k := fetch(t, base+"/live/bunny/"+key)
	ref, err := hls.ParseName(name)
	if err != nil || len(k) != 16 || len(enc) == 0 || len(enc)%16 != 0 {
		t.Fatalf("part %s: %v, key %d bytes, part %d bytes", name, err, len(k), len(enc))
	}
	plain, _ := live.Media(context.Background(), ref)
	block, _ := aes.NewCipher(k)
	dec := make([]byte, len(enc))
	cipher.NewCBCDecrypter(block, ivOf(t, string(pl), name)).CryptBlocks(dec, enc)
	if !bytes.Equal(dec[:len(dec)-int(dec[len(dec)-1])], plain) {
		t.Error("the part does not decrypt to the clear one")
	}
}
