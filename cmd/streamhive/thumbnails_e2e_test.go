//go:build e2e

package main

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"image/jpeg"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"streamhive/media/mediatest"
)

// TestImageTracks: a stream with `thumbnails enabled=ondemand
// size=320x180` announces its image track in the HLS master
// (EXT-X-IMAGE-STREAM-INF) and in the MPD (an image AdaptationSet); the
// thumbnails both name are JPEGs that decode at the box's size (the demo
// is 640x360); hls.js and dash.js still play the stream with its image
// track; a stream without thumbnails announces none and answers 403.
func TestImageTracks(t *testing.T) {
	if testing.Short() {
		t.Skip("real-browser test")
	}
	port := freePort(t)
	conf := fmt.Sprintf("rtmp 127.0.0.1:%d;\nstream demo { input fake://; thumbnails enabled=ondemand size=320x180; }\n"+
		"stream plain { input fake://; }\n", freePort(t))
	p := start(t, port, "-config", writeConfig(t, t.TempDir(), port, conf))
	mediatest.WaitFor(t, 60*time.Second, "the segment window to slide", func() bool {
		return windowSlid(p.base + "/demo/mono.m3u8")
	})

	master := httpGet(t, p.base+"/demo/index.m3u8")
	if !strings.Contains(master, `#EXT-X-IMAGE-STREAM-INF:BANDWIDTH=10000,RESOLUTION=320x180,CODECS="jpeg",URI="images-320x180/index.m3u8"`) {
		t.Fatalf("master announces no image track:\n%s", master)
	}
	tiles := regexp.MustCompile(`(?m)^seg-(\d+)-0\.hls\.jpg$`).FindAllStringSubmatch(httpGet(t, p.base+"/demo/images-320x180/index.m3u8"), -1)
	if len(tiles) < 2 {
		t.Fatal("image playlist lists under two tiles")
	}
	last := tiles[len(tiles)-2] // a segment whose keyframe is surely kept
	jpegOfBox(t, p.base+"/demo/images-320x180/"+last[0], 320, 180)

	mpd := httpGet(t, p.base+"/demo/index.mpd")
	tmpl := imageTemplate(t, mpd)
	from, _ := strconv.ParseInt(regexp.MustCompile(`seg-(\d+)-\$Time\$`).FindStringSubmatch(tmpl)[1], 10, 64)
	at, _ := strconv.ParseInt(last[1], 10, 64)
	jpegOfBox(t, p.base+"/demo/"+strings.NewReplacer("$RepresentationID$", "images-320x180", "$Time$", strconv.FormatInt(at-from, 10)).Replace(tmpl), 320, 180)

	if m := httpGet(t, p.base+"/plain/index.m3u8"); strings.Contains(m, "IMAGE-STREAM") {
		t.Errorf("a stream without thumbnails announces an image track:\n%s", m)
	}
	if resp, err := http.Get(p.base + "/plain/images-320x180/" + last[0]); err != nil || resp.StatusCode != 403 {
		t.Errorf("thumbnail of a stream without thumbnails: %v %v, want 403", resp.StatusCode, err)
	} else {
		_ = resp.Body.Close()
	}

	for _, c := range []struct{ kind, path string }{{"dash", "/demo/index.mpd"}, {"hls", "/demo/index.m3u8"}} {
		t.Run(c.kind, func(t *testing.T) { playsInBrowser(t, c.kind, p.base+c.path) })
	}
}

// imageTemplate returns the SegmentTemplate@media of the MPD's one image
// AdaptationSet, checking that it is one of 1x1 thumbnail tiles.
func imageTemplate(t *testing.T, mpd string) string {
	t.Helper()
	var doc struct {
		Sets []struct {
			ContentType string `xml:"contentType,attr"`
			MimeType    string `xml:"mimeType,attr"`
			Template    struct {
				Media string `xml:"media,attr"`
			} `xml:"SegmentTemplate"`
			Rep struct {
				ID    string `xml:"id,attr"`
				Props []struct {
					Scheme string `xml:"schemeIdUri,attr"`
					Value  string `xml:"value,attr"`
				} `xml:"EssentialProperty"`
			} `xml:"Representation"`
		} `xml:"Period>AdaptationSet"`
	}
	if err := xml.Unmarshal([]byte(mpd), &doc); err != nil {
		t.Fatalf("MPD: %v", err)
	}
	for _, s := range doc.Sets {
		if s.ContentType == "image" && s.MimeType == "image/jpeg" && s.Rep.ID == "images-320x180" &&
			len(s.Rep.Props) == 1 && s.Rep.Props[0].Value == "1x1" {
			return s.Template.Media
		}
	}
	t.Fatalf("MPD has no image AdaptationSet of 1x1 tiles:\n%s", mpd)
	return ""
}

// jpegOfBox fetches url and checks it is a JPEG that decodes at w×h.
func jpegOfBox(t *testing.T, url string, w, h int) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/jpeg" {
		t.Fatalf("GET %s: %d %s %.200s", url, resp.StatusCode, resp.Header.Get("Content-Type"), b)
	}
	img, err := jpeg.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s: %v", url, err)
	}
	if got := img.Bounds().Size(); got.X != w || got.Y != h {
		t.Fatalf("%s decodes at %v, want %dx%d", url, got, w, h)
	}
	t.Logf("%s: %d bytes, %dx%d", url, len(b), w, h)
}
