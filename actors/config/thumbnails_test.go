package config

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestThumbnailsForms: the directive's forms read into the model, print
// back and go to the API's JSON as thumbnails_spec spells it (enabled a
// boolean or "ondemand", sizes objects).
func TestThumbnailsForms(t *testing.T) {
	for src, want := range map[string]string{
		"stream a { thumbnails; }":                                       `{}`,
		"stream a { thumbnails enabled=ondemand size=320x240; }":         `{"enabled":"ondemand","sizes":[{"width":320,"height":240}]}`,
		"stream a { thumbnails enabled=false; }":                         `{"enabled":false}`,
		"stream a { thumbnails enabled=true size=320x180 size=160x90; }": `{"enabled":true,"sizes":[{"width":320,"height":180},{"width":160,"height":90}]}`,
		"stream a { thumbnails url=http://h/t.jpg; }":                    `{"url":"http://h/t.jpg"}`,
	} {
		s := mustParse(t, src)
		b, err := json.Marshal(s.Streams[0].Thumbnails)
		if err != nil || string(b) != want {
			t.Errorf("%s: JSON %s, %v; want %s", src, b, err, want)
		}
		roundTrip(t, s)
	}
}

func TestThumbnailsOn(t *testing.T) {
	for src, want := range map[string]bool{
		"stream a;":                false,
		"stream a { thumbnails; }": true,
		"stream a { thumbnails enabled=ondemand; }": true,
		"stream a { thumbnails enabled=false; }":    false,
	} {
		if got := mustParse(t, src).Streams[0].Thumbnails.On(); got != want {
			t.Errorf("%s: On() = %v, want %v", src, got, want)
		}
	}
}

func TestThumbnailsErrors(t *testing.T) {
	for src, want := range map[string]string{
		"stream a { thumbnails enabled=maybe; }":  "test.conf:1:31: thumbnails: enabled=maybe",
		"stream a { thumbnails size=320; }":       "test.conf:1:28: thumbnails: size 320",
		"stream a { thumbnails size=0x240; }":     "size 0x240",
		"stream a { thumbnails size=9000x9000; }": "size 9000x9000",
		"stream a { thumbnails every=5; }":        "thumbnails: unknown option",
		"stream a { thumbnails { size 1; } }":     "takes no block",
	} {
		_, err := Parse("test.conf", []byte(src))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", src, err, want)
		}
	}
	var m ThumbnailsMode
	if err := json.Unmarshal([]byte(`"always"`), &m); err == nil {
		t.Error(`enabled "always" read from JSON`)
	}
}

// TestThumbnailsTemplate: a template's thumbnails apply to its streams.
func TestThumbnailsTemplate(t *testing.T) {
	s := mustParse(t, "template t { prefix cams; thumbnails enabled=ondemand size=320x240; }\nstream cams/a;")
	eff, ok := s.Effective("cams/a")
	if !ok || !eff.Thumbnails.On() || len(eff.Thumbnails.Sizes) != 1 || eff.Thumbnails.Sizes[0].String() != "320x240" {
		t.Fatalf("effective thumbnails %+v", eff.Thumbnails)
	}
}
