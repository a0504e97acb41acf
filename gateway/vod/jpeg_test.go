package vod

import (
	"bytes"
	"image/jpeg"
	"testing"
)

// TestJPEG: every picture URL of a file answers a JPEG of the right size;
// malformed ones are 404.
func TestJPEG(t *testing.T) {
	h := New(Options{Locations: locs{folder(t)}})
	base := "/vod/movies/progressive.mp4/"
	full := 0
	for _, uri := range []string{"preview.jpg", "0.jpg", "1.5.jpg", "2-preview.jpg", "99999.jpg", "images-64x64/1.jpg", "images-64x64/preview.jpg"} {
		rc, _ := get(h, base+uri)
		if rc.Response.StatusCode() != 200 || string(rc.Response.Header.ContentType()) != typeJPEG {
			t.Fatalf("%s: %d %s", uri, rc.Response.StatusCode(), rc.Response.Body())
		}
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(rc.Response.Body()))
		if err != nil {
			t.Fatalf("%s: %v", uri, err)
		}
		if uri == "preview.jpg" {
			full = cfg.Width
		}
		if bytes.HasPrefix([]byte(uri), []byte("images-")) && (cfg.Width > 64 || cfg.Height > 64 || cfg.Width == full) {
			t.Errorf("%s: %dx%d, want it fitted into 64x64", uri, cfg.Width, cfg.Height)
		}
	}
	for _, uri := range []string{"-1.jpg", "NaN.jpg", "images-0x0/1.jpg", "images-9999x9999/1.jpg", "x/1.jpg", "1.png"} {
		if rc, _ := get(h, base+uri); rc.Response.StatusCode() != 404 {
			t.Errorf("%s: %d, want 404", uri, rc.Response.StatusCode())
		}
	}
}

func FuzzParseJPEG(f *testing.F) {
	for _, s := range []string{"preview.jpg", "1.5-preview.jpg", "images-320x240/12.jpg", "images-x/1.jpg"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, ok := parseJPEG(s)
		if !ok {
			return
		}
		if r.at < 0 || r.box.W < 0 || r.box.H < 0 || r.box.W > maxBoxW || r.box.H > maxBoxH {
			t.Fatalf("%q: %+v", s, r)
		}
	})
}
