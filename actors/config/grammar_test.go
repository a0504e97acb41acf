package config

import (
	"fmt"
	"strings"
	"testing"
)

// grammarUses are configurations that use one entry of the grammar table,
// where exampleOf cannot make one from the key.
var grammarUses = map[string]string{
	"event_sink": "event_sink e { url http://h/e; }", "event_sink url": "event_sink e { url log:///e.log; }",
	"event_sink only":           "event_sink e { url http://h/e; only event=stream_started media=a,b; }",
	"event_sink except":         "event_sink e { url http://h/e; except event=source_*; }",
	"event_sink throttle_delay": "event_sink e { url http://h/e; throttle_delay 1; }",
	"event_sink resend_limit":   "event_sink e { url http://h/e; resend_limit 10; }",
	"event_sink resend_timeout": "event_sink e { url http://h/e; resend_timeout 5; }",
	"event_sink level":          "event_sink e { url http://h/e; level info; }",
	"http":                      "http 80;", "https": "https 443;", "rtmp": "rtmp 1935;", "rtmps": "rtmps 1936;",
	"rtsp": "rtsp 554;", "rtsps": "rtsps 555;", "srt": "srt 9000;",
	"srt_publish": "srt_publish 9998;", "srt_publish port": "srt_publish { port 9998; }",
	"srt_publish passphrase": "srt_publish { passphrase secretsecret; }",
	"srt_publish latency":    "srt_publish { latency 120; }",
	"srt_play":               "srt_play 9003;",
	"srt_play port":          "srt_play { port 9004; }",
	"srt_play passphrase":    "srt_play { port 9004; passphrase secretsecret; }",
	"srt_play latency":       "srt_play { latency 120; }",
	"stream srt_play":        "stream a { srt_play { port 9005; passphrase secretsecret; } }",
	"stream thumbnails":      "stream a { thumbnails; }",
	"thumbnails enabled=":    "stream a { thumbnails enabled=ondemand; }",
	"thumbnails size=":       "stream a { thumbnails size=320x240 size=160x90; }",
	"thumbnails url=":        "stream a { thumbnails url=http://10.0.0.2/thumb.jpg; }",
	"edit_auth":              "edit_auth a b;", "view_auth": "view_auth a b;", "cluster_key": "cluster_key k;",
	"loglevel": "loglevel info;", "peer": "cluster_key k; peer h;",
	"peer api_url":     "cluster_key k; peer h { api_url http://h/; }",
	"peer cluster_key": "cluster_key k; peer h { cluster_key k; }",
	"source":           "cluster_key k; source h:81 { only a; }", "source only": "cluster_key k; source h:81 { only a b/*; }",
	"source except": "cluster_key k; source h:81 { except a; }", "source cluster_key": "source h:81 { cluster_key k; }",
	"dvr": "dvr d /d;", "dvr root": "dvr d { root /d; }", "dvr disk": "dvr d { disk /d; }",
	"dvr expiration":    "dvr d { root /d; expiration 7d; }",
	"dvr storage_limit": "dvr d { root /d; storage_limit 10G; }", "dvr disk_usage_limit": "dvr d { root /d; disk_usage_limit 80; }",
	"template": "template t { prefix t; }", "template prefix": "template t { prefix t; }", "stream": "stream a;",
	"stream title": "stream a { title x; }", "stream comment": "stream a { comment x; }",
	"stream template": "template t { prefix t; }\nstream a { template t; }",
	"stream input":    "stream a { input fake://; }", "stream url": "stream a { url fake://; }",
	"stream source_timeout": "stream a { source_timeout 5; }", "stream return_after": "stream a { return_after 5; }",
	"stream error_threshold": "stream a { error_threshold 5; }",
	"stream transcoder":      "stream a { transcoder vb=1000k; }", "stream dvr": "stream a { dvr /d; }",
	"stream push": "stream a { push rtmp://h/a; }", "stream protocols": "stream a { protocols hls; }",
	"stream segment_duration": "stream a { segment_duration 2; }", "stream segment_count": "stream a { segment_count 3; }",
	"stream chunk_duration": "stream a { chunk_duration 200; }", "stream static": "stream a { static; }", "stream disabled": "stream a { disabled; }", "stream srt": "stream a { srt 9001; }",
	"stream on_play": "stream a { on_play http://h/; }", "stream auth": "stream a { auth http://h/; }",
	"stream on_publish": "stream a { on_publish http://h/; }", "stream domains": "stream a { domains a.b; }",
	"stream allowed_countries":    "stream a { allowed_countries US; }",
	"stream disallowed_countries": "stream a { disallowed_countries US; }",
	"stream max_sessions":         "stream a { max_sessions 3; }", "stream soft_limitation": "stream a { soft_limitation; }",
	"stream session_keys": "stream a { session_keys name ip proto; }", "stream password": "stream a { password p; }",
	"push tracks=":                 "stream a { push rtmp://h/a tracks=v1a1; }",
	"transcoder vb=":               "stream a { transcoder vb=1000k; }",
	"transcoder size=":             "stream a { transcoder vb=1000k size=640x360; }",
	"transcoder hw=":               "stream a { transcoder hw=nvenc vb=1000k; }",
	"transcoder fallback=":         "stream a { transcoder hw=nvenc fallback=cpu vb=1000k; }",
	"transcoder deinterlace=":      "stream a { transcoder vb=1000k deinterlace=true; }",
	"transcoder deinterlace":       "stream a { transcoder vb=1000k deinterlace; }",
	"transcoder ab=":               "stream a { transcoder vb=1000k ab=64k; }",
	"push multicast_loop":          "stream a { push udp://239.0.0.1:5000 multicast_loop; }",
	"input publish://":             "stream a { input publish://; }",
	"dvr replicate":                "dvr d { root /d; replicate; }",
	"dvr dvr_replicate":            "dvr d { root /d; dvr_replicate true; }",
	"dvr episodes_expiration":      "dvr d { root /d; episodes_expiration 30d; }",
	"dvr replication_port":         "dvr d { root /d; replication_port 8002; }",
	"dvr copy=":                    "stream a { dvr /d copy=/opt/movies; }",
	"dvr replication_port=":        "stream a { dvr /d 7d replicate replication_port=8002; }",
	"dvr episodes_expiration=":     "stream a { dvr /d episodes_expiration=30d; }",
	"dvr expiration=":              "stream a { dvr /d expiration=7d; }",
	"dvr storage_limit=":           "stream a { dvr /d storage_limit=10G; }",
	"dvr disk_usage_limit=":        "stream a { dvr /d disk_usage_limit=80; }",
	"ondemand":                     "ondemand od tshttp://h/;",
	"cluster_etcd":                 "cluster_key k; cluster_etcd http://127.0.0.1:2379;",
	"transcoder ar=":               "stream a { transcoder vb=1000k ar=44100; }",
	"transcoder acodec=":           "stream a { transcoder vb=1000k acodec=opus; }",
	"transcoder ac=":               "stream a { transcoder vb=1000k ac=1; }",
	"transcoder vcodec=":           "stream a { transcoder vb=1000k vcodec=hevc; }",
	"transcoder profile=":          "stream a { transcoder vb=1000k profile=main; }",
	"transcoder deinterlace_rate=": "stream a { transcoder vb=1000k deinterlace deinterlace_rate=field; }",
	"stream cluster_ingest":        "stream a { cluster_ingest; }",
	"vod":                          "vod v { storage /m; }",
	"vod storage":                  "vod v { storage /m; storage https://h/vod; }",
	"vod path":                     "file v { path /m; }",
	"file":                         "file v /m;",
	"vod paths":                    "file v { paths /m /n; }",
	"vod cache":                    "vod v { storage http://h/m; cache /c 10G 48h misses=3; }",
	"vod download":                 "vod v { storage /m; download; }",
	"vod auto_mbr":                 "vod v { storage /m; auto_mbr; }",
	"vod segment_duration":         "vod v { storage /m; segment_duration 2; }",
	"cluster_ingest capture_at=":   "stream a { cluster_ingest capture_at=s01.example.net; }",
}

// exampleOf is a configuration that uses key, made from its form.
func exampleOf(key string) string {
	if src, ok := grammarUses[key]; ok {
		return src
	}
	kind, name, _ := strings.Cut(key, " ")
	switch {
	case name == "":
		return key + " x { y z; }"
	case kind == "stream":
		return "stream a { " + name + " x; }"
	case kind == "vod":
		return "vod v { storage /m; " + name + " x; }"
	case kind == "dvr":
		return "dvr d { root /d; " + name + " x; }"
	case kind == "peer" && (name == "fetch_timeout" || name == "stale_timeout"):
		return "cluster_key k; peer h { " + name + " 1000; }"
	case kind == "peer" && (name == "cpu_limit" || name == "channel_limit"):
		return "cluster_key k; peer h { " + name + " 80; }"
	case kind == "peer":
		return "cluster_key k; peer h { " + name + " k; }"
	case kind == "source":
		return "cluster_key k; source h { " + name + " x; }"
	case kind == "push" && strings.HasSuffix(name, "://"):
		return "stream a { push " + name + "h:1234/a; }"
	case strings.HasSuffix(name, "://"):
		return "stream a { input " + name + "h/a; }"
	case kind == "input":
		return "stream a { input fake:// " + withValue(name) + "; }"
	case kind == "push":
		return "stream a { push udp://239.0.0.1:5000 " + withValue(name) + "; }"
	case kind == "transcoder":
		return "stream a { transcoder vb=1000k " + withValue(name) + "; }"
	}
	return ""
}

func withValue(opt string) string {
	if strings.HasSuffix(opt, "=") {
		return opt + "1"
	}
	return opt
}

// TestGrammarTableStates: every entry of the grammar table, in a
// configuration of its own, does what its state says: works loads with no
// notice for it, inactive loads and is reported with its position,
// refused is refused with its position.
func TestGrammarTableStates(t *testing.T) {
	counts := map[state]int{}
	for key, e := range grammar {
		counts[e.state]++
		if _, ok := protectionEntries[key]; ok {
			continue // TestProtectionTableRefusesWhatIsNotBuilt covers these
		}
		t.Run(key, func(t *testing.T) {
			src := exampleOf(key)
			s, err := Parse("test.conf", []byte(src))
			if err == nil {
				err = s.Validate()
			}
			switch e.state {
			case refused:
				if want := fmt.Sprintf(refusal, key); err == nil || !strings.Contains(err.Error(), want) {
					t.Fatalf("%s: got %v, want a refusal %q", src, err, want)
				}
				if !strings.HasPrefix(err.Error(), "test.conf:1:") {
					t.Errorf("refusal without its position: %v", err)
				}
				return
			case works, inactive:
				if err != nil && !strings.Contains(err.Error(), "is not supported yet") {
					t.Fatalf("%s: %v", src, err)
				}
			}
			n := noticeFor(s, key)
			switch {
			case e.state == works && n != nil:
				t.Errorf("%s: works, yet reported: %s", src, n)
			case e.state == inactive && n == nil:
				t.Errorf("%s: inactive, not reported in %v", src, s.Inactive())
			case e.state == inactive && (n.Line != 1 || n.File != "test.conf"):
				t.Errorf("%s: notice without its position: %s", src, n)
			}
			back := mustParse(t, string(Print(s)))
			if a, b := modelJSON(t, s), modelJSON(t, back); a != b {
				t.Errorf("round trip differs\n%s\n%s", a, b)
			}
		})
	}
	if counts[works] == 0 || counts[refused] == 0 || counts[inactive] == 0 {
		t.Errorf("each state should have entries: %v", counts)
	}
}

func noticeFor(s *Server, key string) *Notice {
	for _, n := range s.Inactive() {
		if n.Key == key {
			return &n
		}
	}
	return nil
}

// TestUnknownOptionsAreErrors: an option the table does not list is an
// error with its position, in text and through the API.
func TestUnknownOptionsAreErrors(t *testing.T) {
	for src, want := range map[string]string{
		"stream a { input fake:// zzz=1; }":     "test.conf:1:26: unknown input option zzz",
		"stream a { push rtmp://h/a zzz=1; }":   "test.conf:1:28: unknown push option zzz",
		"stream a { transcoder vb=1k zzz=1; }":  "test.conf:1:29: unknown transcoder option",
		"stream a { input bogus://x; }":         "unknown URL scheme",
		"stream a { thumbnailz x; }":            "test.conf:1:12: unknown directive thumbnailz",
		"vod x { storage /m; }\nstream a { }\n": "",
	} {
		s, err := Parse("test.conf", []byte(src))
		if err == nil {
			err = s.Validate()
		}
		if want == "" {
			if err != nil {
				t.Errorf("%s: %v", src, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want %q", src, err, want)
		}
	}
	var s Server
	err := PutStream{Name: "a", Patch: []byte(`{"inputs":[{"url":"fake://","options":{"zzz":"1"}}]}`)}.Apply(&s)
	if err == nil || !strings.Contains(err.Error(), "/streams/0/inputs/0/options/zzz: unknown input option zzz") {
		t.Errorf("API: %v", err)
	}
}

// TestRawDirectiveThroughTheAPI: a raw directive's text must be the one
// statement it names: an API write cannot add other directives with it.
func TestRawDirectiveThroughTheAPI(t *testing.T) {
	var s Server
	ok := PatchServer{Patch: []byte(`{"raw_directives":[{"name":"plugin","text":"plugin m { x y; }"}]}`)}
	if err := ok.Apply(&s); err != nil {
		t.Fatal(err)
	}
	if n := s.Inactive(); len(n) != 1 || n[0].Pointer != "/raw_directives/0" {
		t.Errorf("notices %v", n)
	}
	for _, text := range []string{`plugin m; stream evil { input fake://; }`, `stream evil;`, `plugin m {`} {
		body := fmt.Sprintf(`{"raw_directives":[{"name":"plugin","text":%q}]}`, text)
		if err := (PatchServer{Patch: []byte(body)}).Apply(&s); err == nil {
			t.Errorf("%s: accepted", text)
		}
	}
	bad := PatchServer{Patch: []byte(`{"raw_directives":[{"name":"stream","text":"stream x;"}]}`)}
	if err := bad.Apply(&s); err == nil {
		t.Error("a raw stream accepted")
	}
}
