package config

import (
	"errors"
	"strings"
	"testing"
)

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string // every error, each a fragment; nil means valid
	}{
		{"valid", "http 8080; dvr a { root /s; } template t { prefix live; } stream s { input fake://; dvr @a; template t; segment_duration 15; }", nil},
		{"port zero asks for a free port", "http 127.0.0.1:0;", nil},
		{"port out of range", "http 65536;\nrtmp 1935;\nsrt 70000;", []string{
			"f.conf:1:6: port 65536 out of range", "f.conf:3:5: port 70000 out of range",
		}},
		{"srt_publish port", "srt_publish { port 99999; }", []string{"f.conf:1:20: port 99999"}},
		{"stream srt port", "stream a { srt 70000; }", []string{"f.conf:1:1: srt port 70000 out of range"}},
		{"duplicate streams", "stream a;\nstream a;", []string{`f.conf:2:1: duplicate stream "a"`}},
		{"duplicate templates and dvrs", "template t;\ntemplate t;\ndvr d /x;\ndvr d /y;", []string{
			`f.conf:2:1: duplicate template "t"`, `f.conf:4:1: duplicate dvr "d"`,
		}},
		{"bad stream names", "stream \"a b\";\nstream /a;\nstream a/../b;\nstream \"\";", []string{
			`f.conf:1:1: stream name "a b" contains ' '`, `f.conf:2:1: stream name "/a" starts`,
			`f.conf:3:1: stream name "a/../b" contains '..'`, `f.conf:4:1: stream name is empty`,
		}},
		{"input scheme", "stream a {\n  input fake://;\n  input gopher://x;\n  input noscheme;\n}", []string{
			`f.conf:3:9: input "gopher://x": unknown URL scheme "gopher"`, `f.conf:4:9: input "noscheme": unknown URL scheme ""`,
		}},
		{"push scheme", "stream a {\n  push ftp://x;\n}", []string{`f.conf:2:8: push "ftp://x": unknown URL scheme "ftp"`}},
		{"push tracks", "stream a {\n  push rtmp://a/b/c tracks=v1v2;\n  push rtmps://a/b/c tracks=a1a2;\n  push srt://h:1 tracks=v1v2a1a2;\n  push rtmp://a/b/d tracks=v2a1;\n}", []string{
			`f.conf:2:8: push "rtmp://a/b/***": tracks: "v1v2": an RTMP push carries one video and one audio track`,
			`f.conf:3:8: push "rtmps://a/b/***": tracks: "a1a2": an RTMP push carries one`,
		}},
		{"chunk duration", "stream a { chunk_duration 200; }\nstream b { chunk_duration 20; }\nstream c { chunk_duration 2500; }\nstream d { segment_duration 4; chunk_duration 2500; }", []string{
			"f.conf:2:1: chunk_duration 20ms out of range 50..2000ms", "f.conf:3:1: chunk_duration 2500ms out of range 50..2000ms",
		}},
		{"segment duration", "stream a { segment_duration 0.5; }\nstream b { segment_duration 16; }", []string{
			"f.conf:1:1: segment_duration 500ms out of range", "f.conf:2:1: segment_duration 16000ms out of range",
		}},
		{"dvr reference", "stream a { dvr @nope 1d; }", []string{"f.conf:1:1: unknown dvr @nope"}},
		{"dvr reference from a template", "template t { dvr @nope; }", []string{"f.conf:1:1: unknown dvr @nope"}},
		{"template reference", "stream a { template nope; }", []string{`f.conf:1:1: stream "a" uses unknown template "nope"`}},
		{"dvr without root", "dvr d { expiration 1d; }", []string{`f.conf:1:1: dvr "d" needs a root`}},
		{"disk usage over 100", "stream a { dvr /x 101%; }", []string{"disk_usage_limit 101% out of range"}},
		{"loglevel", "loglevel debug,loud;", []string{`f.conf:1:1: unknown loglevel "loud"`}},
		{"several problems at once", "stream a { input x://; }\nstream a { segment_duration 99; }", []string{
			"f.conf:1:18: input", "f.conf:2:1: duplicate", "f.conf:2:1: segment_duration",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Parse("f.conf", []byte(tt.src))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			err = s.Validate()
			if tt.want == nil {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			var list ErrorList
			if !errors.As(err, &list) || !errors.Is(err, ErrInvalid) {
				t.Fatalf("got %v, want an ErrorList matching ErrInvalid", err)
			}
			if len(list) != len(tt.want) {
				t.Errorf("got %d errors, want %d:\n%v", len(list), len(tt.want), err)
			}
			for i := 0; i < len(list) && i < len(tt.want); i++ {
				if !strings.Contains(list[i].Error(), tt.want[i]) {
					t.Errorf("error %d: got %q, want %q", i, list[i], tt.want[i])
				}
			}
		})
	}
}

func TestValidatePointers(t *testing.T) {
	// A configuration from JSON has no positions: errors name JSON pointers.
	s := &Server{Streams: []Stream{
		{Name: "ok", MediaOptions: MediaOptions{Inputs: []Input{{URL: "fake://"}}}},
		{Name: "bad", MediaOptions: MediaOptions{Inputs: []Input{{URL: "fake://"}, {URL: "nope://"}}, SegmentDuration: 20000}},
	}}
	err := s.Validate()
	var list ErrorList
	if !errors.As(err, &list) || len(list) != 2 {
		t.Fatalf("got %v", err)
	}
	if list[0].Pointer != "/streams/1/inputs/1/url" || list[1].Pointer != "/streams/1/segment_duration" {
		t.Errorf("pointers %q %q", list[0].Pointer, list[1].Pointer)
	}
	if !strings.HasPrefix(list[0].Error(), "/streams/1/inputs/1/url: ") {
		t.Errorf("message %q", list[0].Error())
	}
}

func TestValidatePushTracksFromJSON(t *testing.T) {
	// The API writes options without the parser: Validate checks the ids.
	s := &Server{Streams: []Stream{{Name: "a", MediaOptions: MediaOptions{Pushes: []Push{
		{URL: "rtmp://a/b/c", Options: map[string]string{"tracks": "x1"}},
	}}}}}
	var list ErrorList
	if err := s.Validate(); !errors.As(err, &list) || len(list) != 1 ||
		list[0].Pointer != "/streams/0/pushes/0/options/tracks" || !strings.Contains(list[0].Error(), `"x1": want track ids`) {
		t.Fatalf("got %v", err)
	}
}

func TestParseTrackIDs(t *testing.T) {
	for _, c := range []struct {
		in, want string // want: the ids joined by spaces, or the error fragment
	}{
		{"v1", "v1"},
		{"v2a1", "v2 a1"},
		{"a1v10", "a1 v10"},
		{"", "want track ids"},
		{"v", "want track ids"},
		{"v0", "want track ids"},
		{"V1", "want track ids"},
		{"v1 a1", "want track ids"},
		{"v1000", "want track ids"},
		{"v99999999999999999999", "want track ids"},
		{"a1a1", "names a1 twice"},
	} {
		ids, err := ParseTrackIDs(c.in)
		got := ""
		if err != nil {
			got = err.Error()
		}
		for i, id := range ids {
			if i > 0 {
				got += " "
			}
			got += id.String()
		}
		if !strings.Contains(got, c.want) {
			t.Errorf("ParseTrackIDs(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestDefault(t *testing.T) {
	s := Default()
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	want := `{"listeners":{"http":[{"port":8080}],"rtmp":[{"port":1935}],"rtsp":[{"port":8554}]},"srt_publish":{"port":9998},"streams":[{"name":"demo","title":"Demo: test pattern with a clock","inputs":[{"url":"fake://"}]}]}`
	if got := modelJSON(t, s); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	s.Streams[0].Name = "changed"
	if Default().Streams[0].Name != "demo" {
		t.Error("Default returns shared state")
	}
}
