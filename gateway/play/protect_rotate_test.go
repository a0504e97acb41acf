package play

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// rotatingMPD is what the rotation test reads back from an MPD.
type rotatingMPD struct {
	Periods []struct {
		ID   string `xml:"id,attr"`
		Sets []struct {
			ID int `xml:"id,attr"`
			CP []struct {
				KID string `xml:"urn:mpeg:cenc:2013 default_KID,attr"`
			} `xml:"ContentProtection"`
			Continues []struct {
				Value string `xml:"value,attr"`
			} `xml:"SupplementalProperty"`
			Template struct {
				Init        string `xml:"initialization,attr"`
				Media       string `xml:"media,attr"`
				StartNumber uint64 `xml:"startNumber,attr"`
				S           []struct {
					R int `xml:"r,attr"`
				} `xml:"SegmentTimeline>S"`
			} `xml:"SegmentTemplate"`
		} `xml:"AdaptationSet"`
	} `xml:"Period"`
}

// licensedKey asks the stream's ClearKey license for the key of a
// dashed key id, as a player's CDM would.
func licensedKey(t *testing.T, base, kid string) []byte {
	t.Helper()
	raw, err := hex.DecodeString(strings.ReplaceAll(kid, "-", ""))
	if err != nil {
		t.Fatal(err)
	}
	req := `{"kids":["` + base64.RawURLEncoding.EncodeToString(raw) + `"],"type":"temporary"}`
	resp, err := http.Post(base+"/live/bunny/drm/clearkey", "application/json", strings.NewReader(req))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	var lic struct {
		Keys []struct{ KID, K string }
	}
	if err := json.NewDecoder(resp.Body).Decode(&lic); err != nil || len(lic.Keys) != 1 {
		t.Fatalf("license for %s: %d %v %+v", kid, resp.StatusCode, err, lic)
	}
	k, err := base64.RawURLEncoding.DecodeString(lic.Keys[0].K)
	if err != nil || len(k) != 16 {
		t.Fatalf("license key %q: %v", lic.Keys[0].K, err)
	}
	return k
}

// TestProtectedDASHRotation: with keys rotating every 4 s (two segments),
// the MPD lists a Period per key, each continuing the one before, with its
// own default_KID and init; every segment it lists decrypts, with its own
// Period's init, under its Period's key from the ClearKey license, to the
// clear segment's samples, and not under the key of another Period.
func TestProtectedDASHRotation(t *testing.T) {
	base, _, live := protectedHarness(t)
	resp, raw := fetch(t, base+"/live/bunny/index.mpd")
	var doc rotatingMPD
	if err := xml.Unmarshal(raw, &doc); resp.StatusCode != http.StatusOK || err != nil {
		t.Fatalf("MPD: %d %v\n%s", resp.StatusCode, err, raw)
	}
	if len(doc.Periods) < 2 {
		t.Fatalf("%d Periods for keys rotating every 4 s:\n%s", len(doc.Periods), raw)
	}
	w := live.Window()
	keys := map[string][]byte{}
	seen := map[uint64]bool{}
	inits := map[string]bool{}
	for i, p := range doc.Periods {
		set := p.Sets[0] // video
		kid := set.CP[0].KID
		if keys[kid] != nil {
			t.Fatalf("key %s in two Periods", kid)
		}
		keys[kid] = licensedKey(t, base, kid)
		if i > 0 && (len(set.Continues) != 1 || set.Continues[0].Value != doc.Periods[i-1].ID) {
			t.Errorf("Period %s continuity %+v", p.ID, set.Continues)
		}
		if inits[set.Template.Init] {
			t.Errorf("init %s in two Periods", set.Template.Init)
		}
		inits[set.Template.Init] = true
		_, encInit := fetch(t, base+"/live/bunny/"+set.Template.Init)
		n := set.Template.StartNumber
		for _, s := range set.Template.S {
			for range s.R + 1 {
				seg := w.Segment(n)
				if seg == nil || seen[n] {
					n++ // the lead-in, or a segment that has left since
					continue
				}
				seen[n] = true
				uri := strings.ReplaceAll(set.Template.Media, "$Number$", strconv.FormatUint(n, 10))
				resp, enc := fetch(t, base+"/live/bunny/"+uri)
				if resp.StatusCode != http.StatusOK {
					t.Fatalf("%s: %d", uri, resp.StatusCode)
				}
				plain := decryptedSamples(t, seg.Init.CMAF[0], seg.CMAF[0], nil)
				if got := decryptedSamples(t, encInit, enc, keys[kid]); !bytes.Equal(got, plain) {
					t.Errorf("Period %s segment %d does not decrypt with its Period's key", p.ID, n)
				}
				for other, k := range keys {
					if other != kid && bytes.Equal(decryptedSamples(t, encInit, enc, k), plain) {
						t.Errorf("Period %s segment %d decrypts with another Period's key", p.ID, n)
					}
				}
				n++
			}
		}
	}
	if len(seen) < 3 {
		t.Errorf("only %d segments checked", len(seen))
	}
}
