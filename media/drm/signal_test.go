package drm_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"strings"
	"testing"
	"time"

	"streamhive/media/dash"
	"streamhive/media/drm"
	"streamhive/media/drm/drmtest"
	"streamhive/media/hls"
	"streamhive/media/segment"
)

func window(t testing.TB) *segment.Window {
	t.Helper()
	segs := clipSegments(t)
	return &segment.Window{Tracks: segs[0].Init.Tracks, Init: segs[0].Init, Segments: segs, TargetDuration: 2 * time.Second}
}

func TestProtectMPD(t *testing.T) {
	src := &drmtest.Static{Seed: "mpd", Signals: []drm.Signal{{SystemID: drm.SystemWidevine, PSSH: []byte{0, 0, 0, 32, 'p', 's', 's', 'h'}}}}
	key, _ := src.KeyAt(time.Now())
	mpd, err := dash.MPD(window(t), dash.Options{Names: dash.DefaultNames{}, PublishTime: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	out, err := drm.ProtectMPD(mpd, key, drm.CENC, "https://h/license?x=1&y=2")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Sets []struct {
			CP []struct {
				Scheme string `xml:"schemeIdUri,attr"`
				Value  string `xml:"value,attr"`
				KID    string `xml:"urn:mpeg:cenc:2013 default_KID,attr"`
				PSSH   string `xml:"urn:mpeg:cenc:2013 pssh"`
				Laurl  string `xml:"https://dashif.org/CPS Laurl"`
			} `xml:"ContentProtection"`
		} `xml:"Period>AdaptationSet"`
	}
	if err := xml.Unmarshal(out, &doc); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(doc.Sets) != 2 {
		t.Fatalf("%d adaptation sets", len(doc.Sets))
	}
	for _, set := range doc.Sets {
		if len(set.CP) != 3 {
			t.Fatalf("%d ContentProtection elements", len(set.CP))
		}
		if cp := set.CP[0]; cp.Value != "cenc" || cp.KID != drm.UUID(key.KID) {
			t.Errorf("mp4protection: %+v", cp)
		}
		if cp := set.CP[1]; cp.Scheme != "urn:uuid:"+drm.SystemWidevine || cp.PSSH != base64.StdEncoding.EncodeToString(key.Signals[0].PSSH) {
			t.Errorf("widevine: %+v", cp)
		}
		if cp := set.CP[2]; cp.Scheme != "urn:uuid:"+drm.SystemClearKey || cp.Laurl != "https://h/license?x=1&y=2" {
			t.Errorf("clearkey: %+v", cp)
		}
	}
}

func TestProtectMediaPlaylistRotates(t *testing.T) {
	w := window(t)
	src := &drmtest.Static{Seed: "hls", Period: 4 * time.Second}
	for _, f := range []hls.Format{hls.TS, hls.FMP4} {
		pl, err := hls.Media(w, hls.MediaOptions{Format: f, Names: hls.DefaultNames{}})
		if err != nil {
			t.Fatal(err)
		}
		out, err := drm.ProtectMediaPlaylist(pl, drm.PlaylistKeys{
			KeyAt: src.KeyAt,
			Tags: func(k drm.Key) []string {
				return []string{fmt.Sprintf("#EXT-X-KEY:METHOD=AES-128,URI=\"k/%x\"", k.KID[:4])}
			},
			MapLine: func(line []byte, k drm.Key) []byte {
				return append(bytes.TrimSuffix(line, []byte("\"\n")), fmt.Sprintf("?kid=%x\"\n", k.KID[:4])...)
			},
		})
		if err != nil {
			t.Fatal(err)
		}
		// Every segment's key is the one of its date, announced before it.
		var keyURI, mapURI string
		for _, line := range strings.Split(string(out), "\n") {
			switch {
			case strings.HasPrefix(line, "#EXT-X-KEY:"):
				keyURI = line[strings.Index(line, "k/")+2 : len(line)-1]
			case strings.HasPrefix(line, "#EXT-X-MAP:"):
				mapURI = line[strings.Index(line, "kid=")+4 : len(line)-1]
			case strings.HasPrefix(line, "#EXT-X-PROGRAM-DATE-TIME:"):
				pdt, _ := time.Parse(time.RFC3339Nano, line[len("#EXT-X-PROGRAM-DATE-TIME:"):])
				k, _ := src.KeyAt(pdt)
				if want := fmt.Sprintf("%x", k.KID[:4]); keyURI != want || (f == hls.FMP4 && mapURI != want) {
					t.Errorf("%v: segment at %v: key %q map %q, want %q\n%s", f, pdt, keyURI, mapURI, want, out)
				}
			}
		}
		if n := strings.Count(string(out), "#EXT-X-KEY"); n < 2 {
			t.Errorf("%v: %d key tags, want a rotation\n%s", f, n, out)
		}
	}
	src.SetDown(true)
	pl, _ := hls.Media(w, hls.MediaOptions{Format: hls.TS, Names: hls.DefaultNames{}})
	if _, err := drm.ProtectMediaPlaylist(pl, drm.PlaylistKeys{KeyAt: src.KeyAt, Tags: func(drm.Key) []string { return nil }}); err == nil {
		t.Error("key source down: playlist rendered")
	}
}

func TestHLSKeyTags(t *testing.T) {
	src := &drmtest.Static{Seed: "tags", Signals: []drm.Signal{
		{SystemID: drm.SystemFairPlay, HLSURI: "skd://fp/1"},
		{SystemID: drm.SystemWidevine, PSSH: []byte("pssh")},
	}}
	k, _ := src.KeyAt(time.Now())
	if got := drm.HLSKeyTags(k, drm.AES128, "/s/key"); len(got) != 1 || got[0] != `#EXT-X-KEY:METHOD=AES-128,URI="/s/key"` {
		t.Errorf("aes-128: %q", got)
	}
	got := drm.HLSKeyTags(k, drm.CBCS, "/s/key")
	if len(got) != 3 || !strings.Contains(got[0], `URI="skd://fp/1"`) || !strings.Contains(got[0], "com.apple.streamingkeydelivery") ||
		!strings.Contains(got[1], "data:text/plain;base64,cHNzaA==") || !strings.Contains(got[2], "org.w3.clearkey") {
		t.Errorf("cbcs: %q", got)
	}
}

func TestClearKeyLicense(t *testing.T) {
	src := drmtest.New("ck")
	k, _ := src.KeyAt(time.Now())
	kid := base64.RawURLEncoding.EncodeToString(k.KID[:])
	out, err := drm.ClearKeyLicense([]byte(`{"kids":["`+kid+`","AAAAAAAAAAAAAAAAAAAAAA"],"type":"temporary"}`), []drm.Key{k})
	if err != nil {
		t.Fatal(err)
	}
	var l struct {
		Keys []struct{ Kty, K, KID string }
		Type string
	}
	if err := json.Unmarshal(out, &l); err != nil {
		t.Fatal(err)
	}
	if len(l.Keys) != 1 || l.Keys[0].KID != kid || l.Keys[0].K != base64.RawURLEncoding.EncodeToString(k.Key[:]) || l.Keys[0].Kty != "oct" {
		t.Errorf("license: %s", out)
	}
	for _, bad := range []string{"", "{", `{"kids":[]}`, `{"kids":["!!"]}`, `{"kids":["AAAA"]}`, strings.Repeat(" ", drm.MaxLicenseRequest+1)} {
		if _, err := drm.ClearKeyLicense([]byte(bad), []drm.Key{k}); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

func FuzzClearKeyLicense(f *testing.F) {
	k, _ := drmtest.New("fuzz").KeyAt(time.Now())
	f.Add([]byte(`{"kids":["AAAAAAAAAAAAAAAAAAAAAA"],"type":"temporary"}`))
	f.Fuzz(func(_ *testing.T, req []byte) {
		_, _ = drm.ClearKeyLicense(req, []drm.Key{k})
	})
}
