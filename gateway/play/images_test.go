package play

import (
	"encoding/xml"
	"image/jpeg"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// A stream with thumbnails announces its image track in the HLS master:
// EXT-X-IMAGE-STREAM-INF pointing at images-WxH/index.m3u8, whose image
// media playlist lists a 1x1 tile per segment of the live window, each a
// thumbnail URL that answers a JPEG.
func TestHLSImageTrack(t *testing.T) {
	hr := newHarness(t)
	_, body := hr.get(t, "/thumbs/index.m3u8")
	want := `#EXT-X-IMAGE-STREAM-INF:BANDWIDTH=10000,RESOLUTION=320x180,CODECS="jpeg",URI="images-320x180/index.m3u8"`
	if !strings.Contains(string(body), want) {
		t.Fatalf("master lacks %s:\n%s", want, body)
	}
	for _, p := range []string{"/live/bunny/index.m3u8", "/nothumbs/index.m3u8", "/thumbs/index.fmp4.m3u8"} {
		_, b := hr.get(t, p)
		if strings.Contains(string(b), "IMAGE-STREAM") != (p == "/thumbs/index.fmp4.m3u8") {
			t.Errorf("%s: image track announced wrongly:\n%s", p, b)
		}
	}
	resp, body := hr.get(t, "/thumbs/images-320x180/index.m3u8")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != typeM3U8 || !strings.Contains(string(body), "#EXT-X-IMAGES-ONLY\n") {
		t.Fatalf("image playlist: %d %s\n%s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	names := regexp.MustCompile(`(?m)^#EXT-X-TILES:RESOLUTION=320x180,LAYOUT=1x1,DURATION=[0-9.]+\n(seg-([0-9]+)-0\.hls\.jpg)$`).FindAllStringSubmatch(string(body), -1)
	if len(names) == 0 {
		t.Fatalf("no tiles:\n%s", body)
	}
	resp, img := hr.get(t, "/thumbs/images-320x180/"+names[0][1])
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != typeJPEG || len(img) < 2 || img[0] != 0xff {
		t.Fatalf("tile %s: %d %s", names[0][1], resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	live := hr.streams["thumbs"]
	live.mu.Lock()
	ask := live.thumbAsk
	live.mu.Unlock()
	if strconv.FormatInt(ask[0], 10) != names[0][2] || ask[1] != 320 || ask[2] != 180 {
		t.Errorf("tile asked %v, want %s in 320x180", ask, names[0][2])
	}
}

// mpdImageSet is what an MPD's image AdaptationSet says.
type mpdImageSet struct {
	ContentType string `xml:"contentType,attr"`
	MimeType    string `xml:"mimeType,attr"`
	Template    struct {
		Media     string `xml:"media,attr"`
		Duration  int    `xml:"duration,attr"`
		Timescale int    `xml:"timescale,attr"`
	} `xml:"SegmentTemplate"`
	Representations []struct {
		ID        string `xml:"id,attr"`
		Width     int    `xml:"width,attr"`
		Height    int    `xml:"height,attr"`
		Essential struct {
			Scheme string `xml:"schemeIdUri,attr"`
			Value  string `xml:"value,attr"`
		} `xml:"EssentialProperty"`
	} `xml:"Representation"`
}

// imageSets parses an MPD's image AdaptationSets.
func imageSets(t *testing.T, body []byte) (out []mpdImageSet) {
	t.Helper()
	var mpd struct {
		Sets []mpdImageSet `xml:"Period>AdaptationSet"`
	}
	if err := xml.Unmarshal(body, &mpd); err != nil {
		t.Fatalf("MPD: %v\n%s", err, body)
	}
	for _, s := range mpd.Sets {
		if s.ContentType == "image" {
			out = append(out, s)
		}
	}
	return out
}

// A stream with thumbnails announces its image track in the MPD: an image
// AdaptationSet of 1x1 thumbnail tiles whose SegmentTemplate names the
// thumbnail URLs; a stream without has none.
func TestDASHImageTrack(t *testing.T) {
	hr := newHarness(t)
	_, body := hr.get(t, "/thumbs/index.mpd")
	sets := imageSets(t, body)
	if len(sets) != 1 || len(sets[0].Representations) != 1 {
		t.Fatalf("image sets %+v\n%s", sets, body)
	}
	s, rep := sets[0], sets[0].Representations[0]
	if s.MimeType != "image/jpeg" || rep.ID != "images-320x180" || rep.Width != 320 || rep.Height != 180 ||
		rep.Essential.Scheme != "http://dashif.org/guidelines/thumbnail_tile" || rep.Essential.Value != "1x1" ||
		s.Template.Timescale != 1 || s.Template.Duration < 1 {
		t.Fatalf("image set %+v", s)
	}
	url := strings.NewReplacer("$RepresentationID$", rep.ID, "$Time$", "4").Replace(s.Template.Media)
	resp, img := hr.get(t, "/thumbs/"+url)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != typeJPEG || len(img) < 2 || img[0] != 0xff {
		t.Fatalf("%s: %d %s", url, resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	for _, p := range []string{"/live/bunny/index.mpd", "/nothumbs/index.mpd"} {
		if _, b := hr.get(t, p); len(imageSets(t, b)) != 0 {
			t.Errorf("%s announces an image track:\n%s", p, b)
		}
	}
}

// Where thumbnails are off (thumbnails enabled=false), the thumbnail URLs
// and the image playlist answer 403, as Flussonic documents.
func TestThumbnailsOff(t *testing.T) {
	hr := newHarness(t)
	for _, p := range []string{"/nothumbs/images-320x180/seg-1641045644-20.hls.jpg", "/nothumbs/images-320x180/index.m3u8"} {
		if resp, body := hr.get(t, p); resp.StatusCode != 403 || !strings.Contains(string(body), "thumbnails are off") {
			t.Errorf("%s: %d %s, want 403", p, resp.StatusCode, body)
		}
	}
}

// An archive thumbnail, images-WxH/dvr-FROM-OFFSET.m4v.jpg, is the
// recorded keyframe at FROM+OFFSET fitted into the box; a stream without a
// DVR answers 404.
func TestArchiveThumbnail(t *testing.T) {
	ah := newArchiveHarness(t)
	resp, body := ah.get(t, "/clean/images-160x90/dvr-"+strconv.FormatInt(arcT0.Unix(), 10)+"-5.m4v.jpg", 200)
	if resp.Header.Get("Content-Type") != typeJPEG {
		t.Fatalf("content type %q", resp.Header.Get("Content-Type"))
	}
	img, err := jpeg.Decode(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if sz := img.Bounds().Size(); sz.X > 160 || sz.Y > 90 || sz.X != 160 && sz.Y != 90 {
		t.Errorf("archive thumbnail %v does not fit 160x90", sz)
	}
	ah.get(t, "/nodvr/images-160x90/dvr-"+strconv.FormatInt(arcT0.Unix(), 10)+"-5.m4v.jpg", 404)
}
