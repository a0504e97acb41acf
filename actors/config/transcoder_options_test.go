package config

import (
	"strings"
	"testing"
)

// TestTranscoderDocumentedOptions: the documented forms of vcodec,
// profile, deinterlace (flag and =true), deinterlace_rate, size=-1xH and
// ab=copy parse into the model, print back and go through JSON.
func TestTranscoderDocumentedOptions(t *testing.T) {
	src := `stream a { transcoder gop=50 vb=1000k size=-1x180 vcodec=hevc preset=veryfast profile=main bframes=0 deinterlace=true deinterlace_rate=field vb=300k size=320x-1 vcodec=h264 profile=baseline deinterlace ab=copy; }`
	s := mustParse(t, src)
	tc := s.Streams[0].Transcoder
	v0, v1 := tc.Video[0], tc.Video[1]
	if v0.Width != -1 || v0.Height != 180 || v0.Codec != "hevc" || v0.Profile != "main" || !v0.Deinterlace || v0.DeinterlaceRate != "field" || v0.Preset != "veryfast" {
		t.Errorf("rendition 0 %+v", v0)
	}
	if v1.Width != 320 || v1.Height != -1 || v1.Codec != "h264" || v1.Profile != "baseline" || !v1.Deinterlace || v1.DeinterlaceRate != "" {
		t.Errorf("rendition 1 %+v", v1)
	}
	if tc.Audio == nil || !tc.Audio.Copy || tc.Global.GOP != 50 {
		t.Errorf("audio %+v global %+v", tc.Audio, tc.Global)
	}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	if n := s.Inactive(); len(n) != 0 {
		t.Errorf("notices %v", n)
	}
	text := string(Print(s))
	for _, want := range []string{"size=-1x180 vcodec=hevc preset=veryfast profile=main bframes=0 deinterlace deinterlace_rate=field", "ab=copy"} {
		if !strings.Contains(text, want) {
			t.Errorf("printed %s\nwant %s", text, want)
		}
	}
	if a, b := modelJSON(t, s), modelJSON(t, mustParse(t, text)); a != b {
		t.Errorf("round trip differs\n%s\n%s", a, b)
	}
}

// TestTranscoderAudioOptions: ac= and ar= parse, print back and reach
// the model.
func TestTranscoderAudioOptions(t *testing.T) {
	s := mustParse(t, "stream a { transcoder vb=1k acodec=aac ab=96k ac=1 ar=44100; }")
	a := s.Streams[0].Transcoder.Audio
	if a.Codec != "aac" || a.Bitrate != 96000 || a.Channels != 1 || a.SampleRate != 44100 {
		t.Errorf("audio %+v", a)
	}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	text := string(Print(s))
	if !strings.Contains(text, "acodec=aac ab=96k ac=1 ar=44100") {
		t.Errorf("printed %s", text)
	}
	if a, b := modelJSON(t, s), modelJSON(t, mustParse(t, text)); a != b {
		t.Errorf("round trip differs\n%s\n%s", a, b)
	}
}

// TestTranscoderValuesChecked: a value the transcoder cannot make is an
// error with its position, not H.264 in its place.
func TestTranscoderValuesChecked(t *testing.T) {
	for src, want := range map[string]string{
		"stream a { transcoder vb=1k vcodec=av1; }":               "1:36: transcoder: vcodec: av1 is not one of h264, hevc",
		"stream a { transcoder vb=1k deinterlace_rate=half; }":    "deinterlace_rate: half is not one of field, frame",
		"stream a { transcoder vb=1k size=-1x-1; }":               "transcoder: size: expected WIDTHxHEIGHT",
		"stream a { transcoder vb=1k size=-2x180; }":              "transcoder: size: expected WIDTHxHEIGHT",
		"stream a { transcoder vb=1k vcodec=hevc profile=high; }": `hevc profile "high"`,
		"stream a { transcoder vb=1k profile=main10; }":           `h264 profile "main10"`,
		"stream a { transcoder vb=1k ab=copy acodec=opus; }":      "ab=copy passes the audio through",
	} {
		s, err := Parse("test.conf", []byte(src))
		if err == nil {
			err = s.Validate()
		}
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want %q", src, err, want)
		}
	}
	var s Server
	err := PutStream{Name: "a", Patch: []byte(`{"transcoder":{"video":[{"bitrate":1000,"codec":"vp9","deinterlace_rate":"x"}]}}`)}.Apply(&s)
	if err == nil || !strings.Contains(err.Error(), "/streams/0/transcoder/video/0/codec") || !strings.Contains(err.Error(), "deinterlace_rate") {
		t.Errorf("API: %v", err)
	}
}
