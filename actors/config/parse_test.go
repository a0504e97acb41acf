package config

import (
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
)

// mustParse parses src or fails the test.
func mustParse(t testing.TB, src string) *Server {
	t.Helper()
	s, err := Parse("test.conf", []byte(src))
	if err != nil {
		t.Fatalf("Parse: %v\n%s", err, src)
	}
	return s
}

// modelJSON is the model as the API shows it: positions aside,
// two configurations are equal when their JSON is.
func modelJSON(t testing.TB, s *Server) string {
	t.Helper()
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestParseModel(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string // a fragment of the model's JSON
	}{
		{"listener port", "http 8080;", `"listeners":{"http":[{"port":8080}]}`},
		{"listener addr", "http 127.0.0.1:18080;", `"http":[{"port":18080,"address":"127.0.0.1"}]`},
		{"listener repeats", "rtmp 1935; rtmp [::1]:1936;", `"rtmp":[{"port":1935},{"port":1936,"address":"::1"}]`},
		{"all listeners", "https 443; rtmps 1936; rtsp 8554; rtsps 8555;", `"https":[{"port":443}],"rtmps":[{"port":1936}],"rtsp":[{"port":8554}],"rtsps":[{"port":8555}]`},
		{"srt", "srt 9000;", `"srt":9000`},
		{"srt_publish block", "srt_publish { port 9998; passphrase X; latency 200; }", `"srt_publish":{"port":9998,"passphrase":"X","latency":200}`},
		{"srt_publish short", "srt_publish 127.0.0.1:9998;", `"srt_publish":{"port":"127.0.0.1:9998"}`},
		{"auth", "edit_auth root s3cr3t; view_auth guest \"two words\";", `"edit_auth":{"login":"root","password":"s3cr3t"},"view_auth":{"login":"guest","password":"two words"}`},
		{
			"cluster and peers", "cluster_key abc; peer p1; peer p2 { api_url http://p2:8080; cluster_key k2; }",
			`"cluster_key":"abc","peers":[{"hostname":"p1"},{"hostname":"p2","api_url":"http://p2:8080","cluster_key":"k2"}]`,
		},
		{"loglevel", "loglevel info;", `"loglevel":"info"`},
		{
			"named dvr", "dvr arch { root /storage; expiration 7d; storage_limit 10G; disk_usage_limit 80%; disk /mnt/a; disk /mnt/b; }",
			`"dvrs":[{"name":"arch","expiration":604800,"storage_limit":10737418240,"disk_usage_limit":80,"root":"/storage","disks":[{"path":"/mnt/a"},{"path":"/mnt/b"}]}]`,
		},
		{"named dvr inline", "dvr arch /storage 2h 500M;", `"dvrs":[{"name":"arch","expiration":7200,"storage_limit":524288000,"root":"/storage"}]`},
		{"template", "template live { prefix live \"\"; segment_count 4; }", `"templates":[{"name":"live","prefixes":["live",""],"segment_count":4}]`},
		{
			"input options", "stream a { input srt://h:1 streamid=#!::r=a,m=publish passphrase=\"p w\" priority=2 source_timeout=false backup standby; }",
			`"inputs":[{"url":"srt://h:1","priority":2,"source_timeout":false,"backup":true,"standby":true,"options":{"passphrase":"p w","streamid":"#!::r=a,m=publish"}}]`,
		},
		{"quoted streamid", `stream a { input srt://h:1 streamid="#!::r=a,m=publish"; }`, `"options":{"streamid":"#!::r=a,m=publish"}`},
		{"hash in a URL is data", "stream a { input srt://h:1?streamid=#!::r=x; } # a comment", `"url":"srt://h:1?streamid=#!::r=x"`},
		{"url alias and order", "stream a { url fake://; input publish://; }", `"inputs":[{"url":"fake://"},{"url":"publish://"}]`},
		{"source_timeout", "stream a { source_timeout 2m; }", `"source_timeout":120`},
		{"stream srt port", "stream a { input publish://; srt 9060; }", `"inputs":[{"url":"publish://"}],"srt":9060`},
		{"stream srt addr", "stream a { srt 127.0.0.1:9060; }", `"srt":"127.0.0.1:9060"`},
		{"source_timeout false", "stream a { source_timeout false; }", `"source_timeout":false`},
		{
			"transcoder ladder", "stream a { transcoder vb=4000k size=1920x1080 preset=veryfast bframes=0 vb=2m size=1280x720 deinterlace logo=/p.png@tr ab=128k acodec=aac hw=nvenc deviceid=0 fallback=cpu fps=25 gop=50; }",
			`"transcoder":{"global":{"hw":"nvenc","deviceid":0,"fallback":"cpu","fps":25,"gop":50},"video":[{"bitrate":4000000,"width":1920,"height":1080,"preset":"veryfast","bframes":0},{"bitrate":2000000,"width":1280,"height":720,"deinterlace":true,"logo":{"path":"/p.png","position":"tr"}}],"audio":{"codec":"aac","bitrate":128000}}`,
		},
		{"dvr reference", "stream a { dvr @arch 7d 10G; }", `"dvr":{"reference":"arch","expiration":604800,"storage_limit":10737418240}`},
		{"dvr inline", "stream a { dvr /path 2h 10G 80%; }", `"dvr":{"root":"/path","expiration":7200,"storage_limit":10737418240,"disk_usage_limit":80}`},
		{"dvr key=value", "stream a { dvr /path storage_limit=1T; }", `"dvr":{"root":"/path","storage_limit":1099511627776}`},
		{"dvr quoted @ is a root", `stream a { dvr "@x"; }`, `"dvr":{"root":"@x"}`},
		{
			"pushes", "stream a { push rtmp://a/b retry_limit=3 retry_timeout=30; push srt://c:1 disabled streamid=x; }",
			`"pushes":[{"url":"rtmp://a/b","retry_limit":3,"retry_timeout":30},{"url":"srt://c:1","disabled":true,"options":{"streamid":"x"}}]`,
		},
		{
			"push tracks", "stream a { push rtmp://a/b/c tracks=v2a1; }",
			`"pushes":[{"url":"rtmp://a/b/c","options":{"tracks":"v2a1"}}]`,
		},
		{
			"protocols whitelist", "stream a { protocols hls dash; }",
			`"protocols":{"hls":true,"dash":true,"rtmp":false,"rtsp":false,"tshttp":false,"webrtc":false,"srt":false,"mp4":false,"jpeg":false,"player":false,"mseld":false}`,
		},
		{"protocols mseld", "stream a { protocols -mseld; }", `"protocols":{"mseld":false}`},
		{"protocols negatives", "stream a { protocols -dash -rtmp; }", `"protocols":{"dash":false,"rtmp":false}`},
		{"segment_duration seconds to ms", "stream a { segment_duration 4; }", `"segment_duration":4000`},
		{"segment_duration fraction", "stream a { segment_duration 1.5; }", `"segment_duration":1500`},
		{
			"on_play and auth", "stream a { auth http://b/ max_sessions=5 domains=a.com,b.com; on_publish http://p/; }",
			`"on_play":{"url":"http://b/","domains":["a.com","b.com"],"max_sessions":5},"on_publish":{"url":"http://p/"}`,
		},
		{"flags", "stream a { static; disabled; }", `"static":true,"disabled":true`},
		{"static false", "stream a { static false; }", `"static":false`},
		{
			"stream strings", `stream a { title "Big \"one\"\n"; comment c; template live; password pw; }`,
			`"title":"Big \"one\"\n","comment":"c","template":"live"`,
		},
		{"stream without block", "stream a;", `"streams":[{"name":"a"}]`},
		{"empty statements and semicolon after block", ";; stream a { } ; stream b {};", `"streams":[{"name":"a"},{"name":"b"}]`},
		{"multi-line statement", "stream a {\n  transcoder vb=1000k\n    ab=64k;\n}", `"audio":{"bitrate":64000}`},
		{"comment at end of file without newline", "stream a; # end", `"streams":[{"name":"a"}]`},
		{"hex escape", `stream a { title "\x41\tB"; }`, `"title":"A\tB"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := modelJSON(t, mustParse(t, tt.src))
			if !strings.Contains(got, tt.want) {
				t.Errorf("model %s\ndoes not contain %s", got, tt.want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string // every error, "line:col: message fragment"
	}{
		{"unknown directive suggests", "strem a { }", []string{`1:1: unknown directive strem; did you mean "stream"?`}},
		{"unknown stream directive suggests", "stream a {\n  inptu fake://;\n}", []string{`2:3: unknown directive inptu; did you mean "input"?`}},
		{"unknown without suggestion", "stream a {\n  xyzzy;\n}", []string{`2:3: unknown directive xyzzy`}},
		{"prefix only in templates", "stream a { prefix x; }", []string{`1:12: unknown directive prefix`}},
		{"missing semicolon before brace", "stream a {\n  input fake://\n}", []string{`2:16: expected ';' after input fake://`}},
		{"missing semicolon at EOF", "http 8080", []string{`1:10: expected ';' after http 8080`}},
		{"missing semicolon before next line", "http 8080\nrtmp 1935;", []string{`1:10: expected ';' after http 8080`}},
		{"unclosed block", "stream a {\n  input fake://;\n", []string{`3:1: expected '}' to close the block opened at 1:10`}},
		{"stray brace", "http 80;\n}", []string{`2:1: unexpected '}'`}},
		{"unterminated string", "stream a { title \"abc; }", []string{`1:18: unterminated quoted string`, `1:25: expected ';' after`, `1:25: expected '}' to close the block opened at 1:10`}},
		{"missing argument", "http;", []string{`1:5: expected PORT or ADDR:PORT after http`}},
		{"bad port", "http abc;", []string{`1:6: want PORT or ADDR:PORT, got "abc"`}},
		{"too many arguments", "loglevel debug info;", []string{`1:16: unexpected argument info: loglevel takes 1 argument`}},
		{"bad duration", "stream a {\n  source_timeout 5x;\n}", []string{`2:18: source_timeout: bad duration "5x"`}},
		{"bad size", "dvr d { root /r; storage_limit 10Q; }", []string{`1:32: storage_limit: bad size "10Q"`}},
		{"bad bitrate in option", "stream a { transcoder vb=fast; }", []string{`1:26: vb: bad bitrate "fast"`}},
		{"video option before vb", "stream a { transcoder size=1x1; }", []string{`1:23: transcoder: expected vb= before size`}},
		{"unknown transcoder option", "stream a { transcoder vb=1k foo=1; }", []string{`1:29: unknown transcoder option foo=1`}},
		{"unknown input flag", "stream a { input fake:// bakup; }", []string{`1:26: unknown input option bakup`}},
		{"unknown protocol", "stream a { protocols hls hsd; }", []string{`1:26: unknown protocol "hsd"`}},
		{"bad segment duration", "stream a { segment_duration 1.2345; }", []string{`1:29: segment_duration: bad number of seconds`}},
		{"block on a simple directive", "http 80 { }", []string{`1:1: http takes no block`}},
		{"several errors, all reported", "strem a;\nhttp x;\nstream b { inptu y; }", []string{
			`1:1: unknown directive strem`, `2:6: want PORT`, `3:12: unknown directive inptu`,
		}},
		{"bad push tracks", "stream a {\n  push rtmp://a/b/c tracks=video2;\n  push srt://h:1 tracks=v1v1;\n  push udp://h:1 tracks=;\n}", []string{
			`2:28: tracks: "video2": want track ids written together, such as v1, a1 or v2a1`,
			`3:25: tracks: "v1v1" names v1 twice`, `4:25: tracks: want track ids`,
		}},
		{"bad flag value", "stream a { static maybe; }", []string{`1:19: expected true or false`}},
		{"unknown srt_publish key", "srt_publish { prot 1; }", []string{`1:15: unknown directive prot; did you mean "port"?`}},
		{"dvr limit option unknown", "stream a { dvr /p 1d 1G 2G; }", []string{`1:25: dvr: storage_limit given twice (2G)`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("f.conf", []byte(tt.src))
			var list ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("got %v, want an ErrorList", err)
			}
			if !errors.Is(err, ErrInvalid) {
				t.Error("error does not match ErrInvalid")
			}
			if len(list) != len(tt.want) {
				t.Errorf("got %d errors, want %d:\n%v", len(list), len(tt.want), err)
			}
			for i, w := range tt.want {
				if i >= len(list) {
					break
				}
				if got := list[i].Error(); !strings.HasPrefix(got, "f.conf:") || !strings.Contains(got, w) {
					t.Errorf("error %d: got %q, want it to contain %q", i, got, w)
				}
			}
		})
	}
}

func TestErrorFormat(t *testing.T) {
	e := &Error{File: "a.conf", Line: 3, Col: 7, Msg: "expected ';'"}
	if got := e.Error(); got != "a.conf:3:7: expected ';'" {
		t.Errorf("got %q", got)
	}
	e = &Error{Pointer: "/streams/0/name", Msg: "bad"}
	if got := e.Error(); got != "/streams/0/name: bad" {
		t.Errorf("got %q", got)
	}
}

func TestParseFileAndLoad(t *testing.T) {
	dir := t.TempDir()
	path := dir + "/f.conf"
	if _, err := ParseFile(path); err == nil {
		t.Error("ParseFile of a missing file: no error")
	}
	writeFile(t, path, "stream a { input nope://x; }\n")
	if _, err := ParseFile(path); err != nil {
		t.Errorf("ParseFile: %v", err)
	}
	_, err := Load(path)
	if err == nil || !strings.HasPrefix(err.Error(), path+":1:18: ") {
		t.Errorf("Load: got %v, want a positioned validation error", err)
	}
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}
