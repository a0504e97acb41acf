package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// baseServer is a small configuration the change tests edit.
func baseServer() *Server {
	five := 5
	return &Server{
		DVRs: []DVR{{Name: "arch", Root: "/storage"}},
		Templates: []Template{{
			Name: "live", Prefixes: []string{"live"},
			MediaOptions: MediaOptions{SegmentDuration: 4000},
		}},
		Streams: []Stream{{
			Name:  "cam",
			Title: "Camera",
			MediaOptions: MediaOptions{
				Inputs: []Input{
					{URL: "rtsp://10.0.0.1/main", Priority: &five, Options: map[string]string{"rtsp_tcp": "true"}},
					{URL: "fake://", Backup: true},
				},
				Transcoder: &Transcoder{Audio: &TranscoderAudio{Codec: "aac", Bitrate: 128000}},
				Protocols:  &Protocols{HLS: ptr(true), DASH: ptr(false)},
			},
		}},
	}
}

func ptr[T any](v T) *T { return &v }

// streamJSON is the stream's JSON, for comparisons.
func streamJSON(t *testing.T, s *Server, name string) string {
	t.Helper()
	st, ok := s.Stream(name)
	if !ok {
		t.Fatalf("stream %q missing", name)
	}
	b, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestPutStreamMerge(t *testing.T) {
	tests := []struct {
		name  string
		patch string
		want  string // the stream's JSON after the change
	}{
		{
			"scalar update keeps the rest", `{"title":"New"}`,
			`{"name":"cam","title":"New","inputs":[{"url":"rtsp://10.0.0.1/main","priority":5,"options":{"rtsp_tcp":"true"}},{"url":"fake://","backup":true}],"transcoder":{"audio":{"codec":"aac","bitrate":128000}},"protocols":{"hls":true,"dash":false}}`,
		},
		{
			"nested objects merge", `{"transcoder":{"audio":{"bitrate":96000}},"protocols":{"rtmp":false}}`,
			`{"name":"cam","title":"Camera","inputs":[{"url":"rtsp://10.0.0.1/main","priority":5,"options":{"rtsp_tcp":"true"}},{"url":"fake://","backup":true}],"transcoder":{"audio":{"codec":"aac","bitrate":96000}},"protocols":{"hls":true,"dash":false,"rtmp":false}}`,
		},
		{
			"null removes a field", `{"title":null,"transcoder":{"audio":{"codec":null}},"protocols":null}`,
			`{"name":"cam","inputs":[{"url":"rtsp://10.0.0.1/main","priority":5,"options":{"rtsp_tcp":"true"}},{"url":"fake://","backup":true}],"transcoder":{"audio":{"bitrate":128000}}}`,
		},
		{
			"$reset replaces an object", `{"transcoder":{"$reset":true,"global":{"hw":"nvenc"}}}`,
			`{"name":"cam","title":"Camera","inputs":[{"url":"rtsp://10.0.0.1/main","priority":5,"options":{"rtsp_tcp":"true"}},{"url":"fake://","backup":true}],"transcoder":{"global":{"hw":"nvenc"}},"protocols":{"hls":true,"dash":false}}`,
		},
		{
			"$reset false merges", `{"protocols":{"$reset":false,"mp4":true}}`,
			`{"name":"cam","title":"Camera","inputs":[{"url":"rtsp://10.0.0.1/main","priority":5,"options":{"rtsp_tcp":"true"}},{"url":"fake://","backup":true}],"transcoder":{"audio":{"codec":"aac","bitrate":128000}},"protocols":{"hls":true,"dash":false,"mp4":true}}`,
		},
		{
			"$reset on the stream replaces it", `{"$reset":true,"inputs":[{"url":"publish://"}]}`,
			`{"name":"cam","inputs":[{"url":"publish://"}]}`,
		},
		{
			"arrays replace", `{"inputs":[{"url":"udp://239.0.0.1:1234"}]}`,
			`{"name":"cam","title":"Camera","inputs":[{"url":"udp://239.0.0.1:1234"}],"transcoder":{"audio":{"codec":"aac","bitrate":128000}},"protocols":{"hls":true,"dash":false}}`,
		},
		{
			"stats are ignored", `{"stats":{"alive":false},"inputs":[{"url":"fake://","stats":{"bytes":1}}]}`,
			`{"name":"cam","title":"Camera","inputs":[{"url":"fake://"}],"transcoder":{"audio":{"codec":"aac","bitrate":128000}},"protocols":{"hls":true,"dash":false}}`,
		},
		{
			"push stats are ignored", `{"pushes":[{"url":"rtmp://a/b","stats":{"bytes":1}}]}`,
			`{"name":"cam","title":"Camera","inputs":[{"url":"rtsp://10.0.0.1/main","priority":5,"options":{"rtsp_tcp":"true"}},{"url":"fake://","backup":true}],"transcoder":{"audio":{"codec":"aac","bitrate":128000}},"pushes":[{"url":"rtmp://a/b"}],"protocols":{"hls":true,"dash":false}}`,
		},
		{
			"same name is fine", `{"name":"cam","source_timeout":false}`,
			`{"name":"cam","title":"Camera","inputs":[{"url":"rtsp://10.0.0.1/main","priority":5,"options":{"rtsp_tcp":"true"}},{"url":"fake://","backup":true}],"source_timeout":false,"transcoder":{"audio":{"codec":"aac","bitrate":128000}},"protocols":{"hls":true,"dash":false}}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := baseServer()
			if err := (PutStream{Name: "cam", Patch: []byte(tt.patch)}).Apply(s); err != nil {
				t.Fatalf("Apply: %v", err)
			}
			if got := streamJSON(t, s, "cam"); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestPutStreamCreates(t *testing.T) {
	s := baseServer()
	err := (PutStream{Name: "new", Patch: []byte(`{"inputs":[{"url":"publish://"}],"segment_duration":2000}`)}).Apply(s)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := streamJSON(t, s, "new"), `{"name":"new","inputs":[{"url":"publish://"}],"segment_duration":2000}`; got != want {
		t.Errorf("got %s want %s", got, want)
	}
}

func TestChangeErrors(t *testing.T) {
	tests := []struct {
		name    string
		change  Change
		target  error
		mention []string // substrings the error must contain
	}{
		{
			"unknown key names its pointer",
			PutStream{Name: "cam", Patch: []byte(`{"inputs":[{"urll":"fake://"}]}`)},
			ErrInvalid,
			[]string{"/inputs/0/urll"},
		},
		{
			"unknown top key",
			PutStream{Name: "cam", Patch: []byte(`{"titel":"x","transcoder":{"audio":{"codek":"aac"}}}`)},
			ErrInvalid,
			[]string{"/titel", "/transcoder/audio/codek"},
		},
		{
			"unknown key in a reset object",
			PutStream{Name: "cam", Patch: []byte(`{"protocols":{"$reset":true,"hsl":true}}`)},
			ErrInvalid,
			[]string{"/protocols/hsl"},
		},
		{"name differs", PutStream{Name: "cam", Patch: []byte(`{"name":"other"}`)}, ErrInvalid, []string{"other"}},
		{"wrong type", PutStream{Name: "cam", Patch: []byte(`{"segment_count":"four"}`)}, ErrInvalid, []string{"segment_count"}},
		{"not an object", PutStream{Name: "cam", Patch: []byte(`[1]`)}, ErrInvalid, nil},
		{"bad JSON", PutStream{Name: "cam", Patch: []byte(`{"title":`)}, ErrInvalid, nil},
		{
			"validation runs",
			PutStream{Name: "cam", Patch: []byte(`{"segment_duration":100}`)},
			ErrInvalid,
			[]string{"/streams/0/segment_duration"},
		},
		{"bad stream name", PutStream{Name: "a b", Patch: []byte(`{}`)}, ErrInvalid, []string{"/streams/1/name"}},
		{"delete missing stream", DeleteStream{Name: "nope"}, ErrNotFound, nil},
		{"delete missing template", DeleteTemplate{Name: "nope"}, ErrNotFound, nil},
		{"delete missing dvr", DeleteDVR{Name: "nope"}, ErrNotFound, nil},
		{
			"delete referenced dvr",
			chain{PutStream{Name: "cam", Patch: []byte(`{"dvr":{"reference":"arch"}}`)}, DeleteDVR{Name: "arch"}},
			ErrInvalid,
			[]string{"unknown dvr @arch"},
		},
		{"unknown template", PutStream{Name: "cam", Patch: []byte(`{"template":"nope"}`)}, ErrInvalid, []string{"unknown template"}},
		{"template unknown key", PutTemplate{Name: "live", Patch: []byte(`{"prefix":["x"]}`)}, ErrInvalid, []string{"/prefix"}},
		{"server unknown key", PatchServer{Patch: []byte(`{"streams":[{"name":"x","inptus":[]}]}`)}, ErrInvalid, []string{"/streams/0/inptus"}},
		{"server bad loglevel", PatchServer{Patch: []byte(`{"loglevel":"loud"}`)}, ErrInvalid, []string{"/loglevel"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.change.Apply(baseServer())
			if !errors.Is(err, tt.target) {
				t.Fatalf("got %v, want %v", err, tt.target)
			}
			for _, m := range tt.mention {
				if !strings.Contains(err.Error(), m) {
					t.Errorf("error %q does not mention %q", err, m)
				}
			}
		})
	}
}

// chain applies changes in order, stopping at the first error.
type chain []Change

func (c chain) Apply(s *Server) error {
	for _, ch := range c {
		if err := ch.Apply(s); err != nil {
			return err
		}
	}
	return nil
}

func TestTemplateAndDVRChanges(t *testing.T) {
	s := baseServer()
	steps := []Change{
		PutTemplate{Name: "live", Patch: []byte(`{"prefixes":["live","tv"],"segment_duration":null}`)},
		PutDVR{Name: "arch", Patch: []byte(`{"expiration":604800}`)},
		PutDVR{Name: "fast", Patch: []byte(`{"root":"/ssd","storage_limit":10737418240}`)},
		DeleteTemplate{Name: "live"},
	}
	for _, c := range steps {
		if err := c.Apply(s); err != nil {
			t.Fatalf("%T: %v", c, err)
		}
	}
	if _, ok := s.Template("live"); ok {
		t.Error("template live not deleted")
	}
	if d, _ := s.DVR("arch"); d.Expiration != 604800 || d.Root != "/storage" {
		t.Errorf("arch = %+v", d)
	}
	if d, _ := s.DVR("fast"); d.StorageLimit != 10<<30 {
		t.Errorf("fast = %+v", d)
	}
}

func TestPatchServer(t *testing.T) {
	s := baseServer()
	err := (PatchServer{Patch: []byte(`{"loglevel":"debug","listeners":{"http":[{"port":8080,"address":"127.0.0.1"}]},"srt":"127.0.0.1:9000"}`)}).Apply(s)
	if err != nil {
		t.Fatal(err)
	}
	if s.Loglevel != "debug" || s.Listeners.HTTP[0].Port != 8080 || s.SRT.Address != "127.0.0.1" || len(s.Streams) != 1 {
		t.Errorf("patched server = %+v", s)
	}
	err = (PatchServer{Patch: []byte(`{"streams":[{"name":"other","inputs":[{"url":"fake://"}]}]}`)}).Apply(s)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Streams) != 1 || s.Streams[0].Name != "other" || s.Loglevel != "debug" {
		t.Errorf("streams did not replace wholesale: %+v", s.Streams)
	}
}

func TestJSONValueTypes(t *testing.T) {
	tests := []struct {
		name string
		in   string
		out  string
	}{
		{"port", `{"srt":9998}`, `"srt":9998`},
		{"port string", `{"srt":"9998"}`, `"srt":9998`},
		{"addr port", `{"srt":"127.0.0.1:9998"}`, `"srt":"127.0.0.1:9998"`},
		{"ipv6", `{"srt":"[::1]:9998"}`, `"srt":"[::1]:9998"`},
		{"timeout", `{"streams":[{"name":"a","source_timeout":10}]}`, `"source_timeout":10`},
		{"timeout false", `{"streams":[{"name":"a","source_timeout":false}]}`, `"source_timeout":false`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s Server
			if err := json.Unmarshal([]byte(tt.in), &s); err != nil {
				t.Fatal(err)
			}
			b, _ := json.Marshal(&s)
			if !strings.Contains(string(b), tt.out) {
				t.Errorf("%s does not contain %s", b, tt.out)
			}
		})
	}
	for _, bad := range []string{`{"srt":"host"}`, `{"srt":true}`, `{"streams":[{"name":"a","source_timeout":true}]}`} {
		var s Server
		if err := json.Unmarshal([]byte(bad), &s); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}

func TestCloneIsDeep(t *testing.T) {
	a := baseServer()
	b := a.Clone()
	b.Streams[0].Inputs[0].Options["rtsp_tcp"] = "false"
	*b.Streams[0].Inputs[0].Priority = 9
	*b.Streams[0].Protocols.HLS = false
	b.Streams[0].Transcoder.Audio.Codec = "opus"
	b.Templates[0].Prefixes[0] = "x"
	if streamJSON(t, a, "cam") == streamJSON(t, b, "cam") || a.Templates[0].Prefixes[0] != "live" {
		t.Error("clone shares memory with the original")
	}
}

// TestApplyLeavesShallowOriginal checks ShallowClone's contract: applying
// any change to a shallow clone leaves the original as it was.
func TestApplyLeavesShallowOriginal(t *testing.T) {
	changes := []Change{
		PutStream{Name: "cam", Patch: []byte(`{"title":"x","inputs":[{"url":"fake://","options":{"a":"b"}}],"protocols":{"rtmp":false},"transcoder":{"audio":{"bitrate":1}}}`)},
		PutStream{Name: "new", Patch: []byte(`{}`)},
		DeleteStream{Name: "cam"},
		PutTemplate{Name: "live", Patch: []byte(`{"prefixes":["x"],"segment_duration":2000}`)},
		DeleteTemplate{Name: "live"},
		PutDVR{Name: "arch", Patch: []byte(`{"expiration":5}`)},
		PatchServer{Patch: []byte(`{"loglevel":"info","streams":[{"name":"cam","title":"y"}]}`)},
		ReplaceText{Filename: "x.conf", Text: []byte("stream z;")},
	}
	for _, c := range changes {
		t.Run(fmt.Sprintf("%T", c), func(t *testing.T) {
			orig := baseServer()
			want := modelJSON(t, orig)
			_ = c.Apply(orig.ShallowClone())
			if got := modelJSON(t, orig); got != want {
				t.Errorf("original changed:\n%s\n%s", want, got)
			}
		})
	}
}
