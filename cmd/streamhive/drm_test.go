package main

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"streamhive/actors/config"
	"streamhive/actors/server"
	"streamhive/media/drm"
	"streamhive/media/mediatest"
	"streamhive/protocols/cpix/cpixtest"
)

// getURL fetches url: status and body.
func getURL(t *testing.T, url string) (int, []byte) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer func() { _ = resp.Body.Close() }()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

var (
	keyTag   = regexp.MustCompile(`#EXT-X-KEY:METHOD=AES-128,URI="([^"]+)"`)
	mediaSeq = regexp.MustCompile(`#EXT-X-MEDIA-SEQUENCE:(\d+)`)
)

// TestProtectedStreamOverRealServer: a `drm cpix` stream (fake://, so no
// outside program) whose key server is down at start answers 503 on its
// encrypted outputs and 403 on those that cannot be encrypted, never
// clear media; once the server is back, its HLS segments are AES-128
// with the key our key URI gives (and the CPIX server made), the MPD
// carries cenc ContentProtection, and clear= lets a named output out.
func TestProtectedStreamOverRealServer(t *testing.T) {
	ks := cpixtest.New("seed")
	t.Cleanup(ks.Close)
	ks.SetDown(true)
	port := freePort(t)
	conf := fmt.Sprintf("rtmp 127.0.0.1:%d;\n"+
		"stream paid { input fake://?size=160x90&fps=10; segment_duration 1; drm cpix keyserver=%s/cpix resource_id=paid; }\n"+
		"stream open { input fake://?size=160x90&fps=10; segment_duration 1; drm cpix keyserver=%s/cpix clear=jpeg; }\n",
		freePort(t), ks.URL, ks.URL)
	p := start(t, port, "-config", writeConfig(t, t.TempDir(), port, conf))

	for _, path := range []string{"/paid/mpegts", "/paid/preview.jpg"} {
		if code, b := getURL(t, p.base+path); code != http.StatusForbidden || !bytes.Contains(b, []byte(`"protected"`)) {
			t.Errorf("%s: %d %.200s, want 403 protected", path, code, b)
		}
	}
	mediatest.WaitFor(t, 20*time.Second, "the playlist refused for want of a key", func() bool {
		code, b := getURL(t, p.base+"/paid/mono.m3u8")
		if code == http.StatusOK {
			t.Fatalf("a playlist with the key server down:\n%s", b)
		}
		return code == http.StatusServiceUnavailable && bytes.Contains(b, []byte("key_unavailable"))
	})
	if code, b := getURL(t, p.base+"/paid/index.mpd"); code == http.StatusOK {
		t.Fatalf("an MPD with the key server down:\n%s", b)
	}

	ks.SetDown(false)
	var pl []byte
	mediatest.WaitFor(t, 20*time.Second, "the playlist once the key server is back", func() bool {
		code, b := getURL(t, p.base+"/paid/mono.m3u8")
		pl = b
		return code == http.StatusOK && keyTag.Match(b)
	})
	seg, msn := lastTSSegment(t, string(pl))
	uri := keyTag.FindAllSubmatch(pl, -1)
	code, key := getURL(t, p.base+"/paid/"+string(uri[len(uri)-1][1]))
	if code != http.StatusOK || len(key) != 16 {
		t.Fatalf("key URI: %d %x", code, key)
	}
	code, body := getURL(t, p.base+"/paid/"+seg)
	if code != http.StatusOK || len(body)%aes.BlockSize != 0 || len(body) == 0 {
		t.Fatalf("segment %s: %d, %d bytes", seg, code, len(body))
	}
	if isTS(body) {
		t.Fatal("the segment went out in clear")
	}
	block, _ := aes.NewCipher(key)
	plain := make([]byte, len(body))
	cipher.NewCBCDecrypter(block, drm.SequenceIV(msn)).CryptBlocks(plain, body)
	if !isTS(plain) {
		t.Errorf("segment %d does not decrypt to MPEG-TS with the served key", msn)
	}
	if code, mpd := getURL(t, p.base+"/paid/index.mpd"); code != http.StatusOK ||
		!bytes.Contains(mpd, []byte(`value="cenc"`)) || !bytes.Contains(mpd, []byte(drm.SystemClearKey)) {
		t.Errorf("MPD: %d\n%s", code, mpd)
	}
	if len(ks.Requests()) == 0 || len(ks.Refusals()) != 0 {
		t.Errorf("key server: %d requests, refusals %v", len(ks.Requests()), ks.Refusals())
	}
	mediatest.WaitFor(t, 20*time.Second, "clear=jpeg's preview", func() bool {
		code, _ := getURL(t, p.base+"/open/preview.jpg")
		return code == http.StatusOK
	})
	if code, _ := getURL(t, p.base+"/open/mpegts"); code != http.StatusForbidden {
		t.Errorf("mpegts of a stream whose clear= names jpeg only: %d", code)
	}
}

// lastTSSegment is a media playlist's last segment and its sequence number.
func lastTSSegment(t *testing.T, pl string) (string, uint64) {
	t.Helper()
	m := mediaSeq.FindStringSubmatch(pl)
	if m == nil {
		t.Fatalf("no media sequence:\n%s", pl)
	}
	msn, _ := strconv.ParseUint(m[1], 10, 64)
	var seg string
	n := uint64(0)
	for _, line := range strings.Split(pl, "\n") {
		if line != "" && !strings.HasPrefix(line, "#") {
			seg = line
			n++
		}
	}
	if n == 0 {
		t.Fatalf("no segment:\n%s", pl)
	}
	return seg, msn + n - 1
}

// isTS reports whether b is MPEG-TS: sync bytes every 188.
func isTS(b []byte) bool {
	if len(b) < 2*188 {
		return false
	}
	for i := 0; i+188 <= len(b); i += 188 {
		if b[i] != 0x47 {
			return false
		}
	}
	return true
}

// TestProtectsM4FBeforeStart: while the server starts (inputs pull
// before Start returns), a pull says it protects a stream exactly when
// the loaded configuration gives that stream a drm line, a template's
// included.
func TestProtectsM4FBeforeStart(t *testing.T) {
	cfg, err := config.Parse("t.conf", []byte("template tv { prefix tv; drm cpix keyserver=http://127.0.0.1:1/cpix; }\n"+
		"stream paid { input fake://; drm cpix keyserver=http://127.0.0.1:1/cpix resource_id=paid; }\n"+
		"stream open { input fake://; }\n"+
		"stream tv/one { input fake://; }\n"))
	if err != nil {
		t.Fatal(err)
	}
	var running atomic.Pointer[server.Server]
	protects := protectsM4F(&running, cfg)
	for name, want := range map[string]bool{"paid": true, "tv/one": true, "open": false, "unknown": false, "": false} {
		if got := protects(name); got != want {
			t.Errorf("%q: %v, want %v", name, got, want)
		}
	}
}

// TestTSScheme: ts_method=sample_aes picks SAMPLE-AES for HLS MPEG-TS;
// anything else (the config refuses other values) stays AES-128.
func TestTSScheme(t *testing.T) {
	for method, want := range map[string]drm.Scheme{config.DRMTSSampleAES: drm.SampleAES, config.DRMTSAES128: drm.AES128, "": drm.AES128} {
		if got := tsScheme(method); got != want {
			t.Errorf("%q: %s, want %s", method, got, want)
		}
	}
}
