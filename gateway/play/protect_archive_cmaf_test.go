package play

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// keyRun is a run of one track's archived segments under one key, as a
// playlist or an MPD lists them: the paths (under the stream) of their
// init and fragments, and the key the license gave for them.
type keyRun struct {
	where string // for messages
	kid   string // hex
	key   []byte
	init  string
	segs  []string
}

var (
	clearKeyTag = regexp.MustCompile(`#EXT-X-KEY:METHOD=SAMPLE-AES,URI="([^"]+)",KEYID=0x([0-9a-f]{32}),KEYFORMAT="org.w3.clearkey"`)
	anyURIAttr  = regexp.MustCompile(`URI="([^"]+)"`)
)

// licenseAt asks the ClearKey license at url for the key of a key id (hex
// or a dashed UUID), as a player's CDM would.
func licenseAt(t *testing.T, url, kid string) []byte {
	t.Helper()
	raw, err := hex.DecodeString(strings.ReplaceAll(kid, "-", ""))
	if err != nil {
		t.Fatal(err)
	}
	req := `{"kids":["` + base64.RawURLEncoding.EncodeToString(raw) + `"],"type":"temporary"}`
	resp, err := http.Post(url, "application/json", strings.NewReader(req))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	var lic struct {
		Keys []struct{ KID, K string }
	}
	if err := json.NewDecoder(resp.Body).Decode(&lic); err != nil || len(lic.Keys) != 1 {
		t.Fatalf("license %s for %s: %d %v %+v", url, kid, resp.StatusCode, err, lic)
	}
	k, err := base64.RawURLEncoding.DecodeString(lic.Keys[0].K)
	if err != nil || len(k) != 16 {
		t.Fatalf("license key %q: %v", lic.Keys[0].K, err)
	}
	return k
}

// archiveHLSRuns reads the protected fMP4 archive playlists of a master
// (every track's; 20 s from arcT0 when "") into key runs, checking that
// each key tag names its key's time and is followed by an EXT-X-MAP
// naming the same key.
func archiveHLSRuns(t *testing.T, ah *archiveHarness, masterPath string) []keyRun {
	t.Helper()
	if masterPath == "" {
		masterPath = arcPath("paid", "archive-%d-20.fmp4.m3u8", 0)
	}
	_, master := ah.get(t, masterPath, 200)
	var playlists []string
	for _, line := range strings.Split(master, "\n") {
		if m := anyURIAttr.FindStringSubmatch(line); m != nil {
			playlists = append(playlists, m[1])
		} else if line != "" && !strings.HasPrefix(line, "#") {
			playlists = append(playlists, line)
		}
	}
	var runs []keyRun
	for _, name := range playlists {
		_, pl := ah.get(t, "/paid/"+name, 200)
		var run *keyRun
		for _, line := range strings.Split(pl, "\n") {
			switch m := clearKeyTag.FindStringSubmatch(line); {
			case m != nil:
				_, at, ok := strings.Cut(m[1], "?"+atKey+"=")
				if !ok {
					t.Fatalf("%s: key tag names no time: %s", name, line)
				}
				runs = append(runs, keyRun{where: name + " at " + at, kid: m[2], key: licenseAt(t, ah.base+"/paid/"+m[1], m[2])})
				run = &runs[len(runs)-1]
			case strings.HasPrefix(line, "#EXT-X-MAP:"):
				uri := mapURI.FindStringSubmatch(line)[1]
				if run == nil || run.init != "" || len(run.segs) > 0 || !strings.HasSuffix(uri, drmAtKey+"="+strings.TrimPrefix(run.where, name+" at ")) {
					t.Fatalf("%s: map %s not right after its key's tag:\n%s", name, uri, pl)
				}
				run.init = uri
			case line != "" && !strings.HasPrefix(line, "#"):
				if run == nil || run.init == "" {
					t.Fatalf("%s: segment %s without a key and map:\n%s", name, line, pl)
				}
				run.segs = append(run.segs, line)
			}
		}
	}
	return runs
}

// archiveMPD is what the tests read back from a protected archive MPD.
type archiveMPD struct {
	Periods []struct {
		ID   string `xml:"id,attr"`
		Sets []struct {
			CP []struct {
				KID   string `xml:"urn:mpeg:cenc:2013 default_KID,attr"`
				Laurl string `xml:"https://dashif.org/CPS Laurl"`
			} `xml:"ContentProtection"`
			Template struct {
				Init  string `xml:"initialization,attr"`
				Media string `xml:"media,attr"`
				S     []struct {
					T *uint64 `xml:"t,attr"`
					D uint64  `xml:"d,attr"`
					R int     `xml:"r,attr"`
				} `xml:"SegmentTimeline>S"`
			} `xml:"SegmentTemplate"`
		} `xml:"AdaptationSet"`
	} `xml:"Period"`
}

// archiveDASHRuns reads a protected archive MPD (20 s from arcT0 when
// "") into key runs, one per Period and AdaptationSet: each Period
// carries one key's default_KID and a ClearKey license URL naming its
// time.
func archiveDASHRuns(t *testing.T, ah *archiveHarness, mpdPath string) []keyRun {
	t.Helper()
	if mpdPath == "" {
		mpdPath = arcPath("paid", "index-%d-20.mpd", 0)
	}
	_, raw := ah.get(t, mpdPath, 200)
	var doc archiveMPD
	if err := xml.Unmarshal([]byte(raw), &doc); err != nil {
		t.Fatalf("MPD: %v\n%s", err, raw)
	}
	var runs []keyRun
	for _, p := range doc.Periods {
		for i, set := range p.Sets {
			if len(set.CP) < 2 || set.CP[0].KID == "" || !strings.Contains(set.CP[len(set.CP)-1].Laurl, "/paid/drm/clearkey?"+atKey+"=") {
				t.Fatalf("Period %s set %d protection %+v", p.ID, i, set.CP)
			}
			kid := set.CP[0].KID
			run := keyRun{where: "Period " + p.ID + " set " + strconv.Itoa(i), kid: kid, key: licenseAt(t, set.CP[len(set.CP)-1].Laurl, kid), init: set.Template.Init}
			var at uint64
			for _, s := range set.Template.S {
				if s.T != nil {
					at = *s.T
				}
				for range s.R + 1 {
					run.segs = append(run.segs, strings.ReplaceAll(set.Template.Media, "$Time$", strconv.FormatUint(at, 10)))
					at += s.D
				}
			}
			runs = append(runs, run)
		}
	}
	return runs
}

// clearPath is the clear stream's path of a protected one's (the same
// archive, unprotected, without the key's name on inits).
func clearPath(path string) string {
	path, _, _ = strings.Cut(path, "?")
	return "/open/" + path
}

// checkRuns: every run's fragments decrypt, under their run's init and
// key, to the clear archive's samples, and not under another run's key;
// keys counts the distinct keys, at least min.
func checkRuns(t *testing.T, ah *archiveHarness, runs []keyRun, minKeys int) {
	t.Helper()
	kids := map[string][]byte{}
	for _, r := range runs {
		kids[r.kid] = r.key
	}
	if len(kids) < minKeys {
		t.Errorf("%d keys, want %d (keys rotate every 4 s of recording)", len(kids), minKeys)
	}
	for _, r := range runs {
		_, encInit := fetch(t, ah.base+"/paid/"+r.init)
		_, clearInit := fetch(t, ah.base+clearPath(r.init))
		if len(r.segs) == 0 {
			t.Errorf("%s: no segments", r.where)
		}
		for _, seg := range r.segs {
			resp, enc := fetch(t, ah.base+"/paid/"+seg)
			_, plainSeg := fetch(t, ah.base+clearPath(seg))
			if resp.StatusCode != http.StatusOK || bytes.Equal(enc, plainSeg) {
				t.Fatalf("%s: %s: %d, encrypted: %t", r.where, seg, resp.StatusCode, !bytes.Equal(enc, plainSeg))
			}
			plain := decryptedSamples(t, clearInit, plainSeg, nil)
			if got := decryptedSamples(t, encInit, enc, r.key); len(plain) == 0 || !bytes.Equal(got, plain) {
				t.Errorf("%s: %s does not decrypt with its key", r.where, seg)
			}
			for kid, k := range kids {
				if kid != r.kid && bytes.Equal(decryptedSamples(t, encInit, enc, k), plain) {
					t.Errorf("%s: %s decrypts with the key %s", r.where, seg, kid)
				}
			}
		}
	}
}

// TestProtectedArchiveCMAF: a protected stream's fMP4 HLS archive (CBCS)
// and DASH archive (CENC) list the key of each segment's recording time,
// with keys rotating every 4 s of it: a key tag and a map per key, a
// Period per key; every fragment they list decrypts with the key the
// ClearKey license gives for it to the clear archive's samples.
func TestProtectedArchiveCMAF(t *testing.T) {
	t.Parallel()
	ah, _ := protectedArchive(t)
	t.Run("hls", func(t *testing.T) { checkRuns(t, ah, archiveHLSRuns(t, ah, ""), 5) })
	t.Run("dash", func(t *testing.T) { checkRuns(t, ah, archiveDASHRuns(t, ah, ""), 5) })
}

var aes128Tag = regexp.MustCompile(`#EXT-X-KEY:METHOD=AES-128,URI="drm/key\?kid=[0-9a-f]{32}&at=([0-9]+)",IV=0x([0-9a-f]{32})\n#EXT-X-PROGRAM-DATE-TIME:(.*)\n`)

// TestProtectedArchiveURLForms: every form of archive window (a range,
// an event, timeshift_abs, timeshift_rel, rewind) is protected in every
// format: a TS playlist has a key tag with its time as IV before every
// segment, an fMP4 playlist and an MPD decrypt run by run.
func TestProtectedArchiveURLForms(t *testing.T) {
	t.Parallel()
	ah, _ := protectedArchive(t)
	for _, form := range []string{"index-%d-20", "archive-%d-20", "index-%d-now", "timeshift_abs-%d", "timeshift_rel-6", "rewind-8"} {
		path := func(ext string) string {
			if !strings.Contains(form, "%d") {
				return "/paid/" + form + ext
			}
			return arcPath("paid", form+ext, 12) // two keys at least in each form
		}
		t.Run(form, func(t *testing.T) {
			_, master := ah.get(t, path(".m3u8"), 200)
			_, pl := ah.get(t, "/paid/"+lastURI(master), 200)
			tags := aes128Tag.FindAllStringSubmatch(pl, -1)
			if n := strings.Count(pl, "#EXTINF"); n == 0 || len(tags) != n {
				t.Fatalf("%d key tags for %d segments:\n%s", len(tags), n, pl)
			}
			for _, m := range tags {
				at, _ := time.Parse(pdtLayout, m[3])
				if ms := strconv.FormatInt(at.UnixMilli(), 10); m[1] != ms || m[2] != hex.EncodeToString(tsIV(at)) {
					t.Errorf("key tag at=%s IV=%s for a segment recorded at %s", m[1], m[2], m[3])
				}
			}
			checkRuns(t, ah, archiveHLSRuns(t, ah, path(".fmp4.m3u8")), 2)
			checkRuns(t, ah, archiveDASHRuns(t, ah, path(".mpd")), 2)
		})
	}
}

// TestProtectedArchiveSessionQuery: a session's query reaches the archive's
// key URIs, its EXT-X-MAPs and each Period's license URL after the key's
// time, and the license answers there.
func TestProtectedArchiveSessionQuery(t *testing.T) {
	t.Parallel()
	ah, _ := gatedProtectedArchive(t, &fakeGate{})
	_, pl := ah.get(t, arcPath("paid", "track-0-%d-20.m3u8?token=abc", 0), 200)
	keyTags := regexp.MustCompile(`URI="drm/clearkey\?at=[0-9]+&token=abc"`).FindAllString(pl, -1)
	maps := regexp.MustCompile(`#EXT-X-MAP:URI="[^"]+\?drm_at=[0-9]+&token=abc"`).FindAllString(pl, -1)
	if len(keyTags) < 5 || len(maps) != len(keyTags) {
		t.Fatalf("%d key tags and %d maps with the session's query:\n%s", len(keyTags), len(maps), pl)
	}
	runs := archiveDASHRuns(t, ah, arcPath("paid", "index-%d-20.mpd?token=abc", 0))
	for _, r := range runs {
		if !strings.HasSuffix(r.init, "?token=abc") {
			t.Errorf("%s: init %s", r.where, r.init)
		}
	}
	_, raw := ah.get(t, arcPath("paid", "index-%d-20.mpd?token=abc", 0), 200)
	if n := regexp.MustCompile(`/paid/drm/clearkey\?at=[0-9]+&amp;token=abc<`).FindAllString(raw, -1); len(n) != len(runs) {
		t.Errorf("%d license URLs with the session's query for %d runs:\n%s", len(n), len(runs), raw)
	}
}
