package config

import (
	"strings"
	"testing"
)

// roundTripConfigs are config texts whose Parse(Print(Parse(x))) must equal
// Parse(x). They seed FuzzParse too.
var roundTripConfigs = map[string]string{
	"empty":   "",
	"default": string(DefaultText),
	"globals": `http 8080; http 127.0.0.1:18080; https [::1]:443; rtmp 1935; rtmps 1936; rtsp 8554; rtsps 8555;
srt 0.0.0.0:9000; srt_publish { port 9998; passphrase "pass phrase"; latency 120; }
edit_auth admin "p w"; view_auth guest ""; cluster_key k; loglevel debug,info;
peer p1; peer p2 { api_url http://p2/; cluster_key x; }`,
	"dvrs": `dvr a { root /s; expiration 90; storage_limit 1000; disk_usage_limit 80%; }
dvr b /x 7d 10G; dvr c { disk /m1; disk "/m 2"; }`,
	"template": `template t { prefix live "" "a b"; input publish://; dvr @a 1d; protocols -dash; }`,
	"stream": `stream cam {
  title "Front door"; comment "a \"quoted\" comment"; template t;
  static false; disabled;
  input rtsp://10.0.0.1/main priority=1 rtsp_tcp=true source_timeout=30;
  input srt://h:1 streamid=#!::r=a,m=publish backup standby passphrase="a;b";
  url fake://;
  source_timeout false;
  transcoder hw=nvenc deviceid=1 fallback=cpu fps=25 gop=50 vb=4000k size=1920x1080 preset=veryfast bframes=0 deinterlace logo="/l o.png@bl" vb=1500 ab=128k acodec=aac;
  dvr @arch 2h 10G 80%;
  push rtmp://a/b retry_limit=3 retry_timeout=1m disabled service_name=value;
  push srt://h:1 tracks=v2v1a1 streamid=x;
  protocols hls -dash;
  segment_duration 2.5; segment_count 4; chunk_duration 250;
  on_play http://auth/ max_sessions=10 domains=a,b;
  on_publish "http://pub lish/";
  password pw;
  srt 127.0.0.1:9060;
}`,
	"dvr inline forms": `stream a { dvr /p storage_limit=1G; } stream b { dvr "@x" 50%; } stream c { dvr /q 1d; }`,
	"protocols":        `stream a { protocols hls dash; } stream b { protocols -hls -dash -rtmp -rtsp -tshttp -webrtc -srt -mp4 -jpeg -mseld; } stream c { protocols hls dash rtmp rtsp tshttp webrtc srt mp4 jpeg mseld; } stream d { protocols -hls hls; }`,
	"odd strings":      "stream \"a;b\" { title \"tab\\there\\x01\"; comment \"#not a comment\"; } stream x#y; stream c { input \"\"; }",
	"zero values":      `stream a { transcoder hw="" fps=0 vb=0 size=0x0 ab=0; segment_duration 0; title ""; source_timeout 0; }`,
	"empty blocks":     `srt_publish {} stream a {} template t {} dvr d {}`,
	"protection":       protectionConfig,
	"auth odd forms":   `on_play; stream a { on_play ""; } stream b { auth "soft_limitation=true" domains=""; } stream c { on_play "domains=x" domains=y,z; } auth_backend "" { deny default; allow token default; }`,
}

func TestPrintRoundTrip(t *testing.T) {
	for name, src := range roundTripConfigs {
		t.Run(name, func(t *testing.T) {
			first := mustParse(t, src)
			text := Print(first)
			second, err := Parse("printed.conf", text)
			if err != nil {
				t.Fatalf("printed text does not parse: %v\n%s", err, text)
			}
			if a, b := modelJSON(t, first), modelJSON(t, second); a != b {
				t.Errorf("round trip differs\nparsed  %s\nprinted %s\ntext:\n%s", a, b, text)
			}
			if again := Print(second); string(again) != string(text) {
				t.Errorf("Print is not stable:\n%s\n---\n%s", text, again)
			}
		})
	}
}

func TestPrintCanonical(t *testing.T) {
	s := mustParse(t, `stream a { segment_duration 4; dvr @arch 604800 10737418240; transcoder vb=4000000; source_timeout 60s; input srt://h:1 streamid=#!::r=a; }`)
	got := string(Print(s))
	for _, want := range []string{"segment_duration 4;", "dvr @arch 7d 10G;", "transcoder vb=4000k;", "source_timeout 1m;", `streamid="#!::r=a"`} {
		if !strings.Contains(got, want) {
			t.Errorf("printed text lacks %q:\n%s", want, got)
		}
	}
}

func TestPrintFromAPI(t *testing.T) {
	// A model written through the API prints text that parses back to it.
	s := &Server{}
	changes := []Change{
		PatchServer{Patch: []byte(`{"listeners":{"http":[{"port":8080}]},"srt_publish":{"port":9998}}`)},
		PutDVR{Name: "arch", Patch: []byte(`{"root":"/s","expiration":86400}`)},
		PutStream{Name: "a", Patch: []byte(`{"inputs":[{"url":"fake://","options":{"user_agent":"v v"}}],"dvr":{"reference":"arch"},"segment_duration":3000,"protocols":{"hls":false}}`)},
	}
	for _, c := range changes {
		if err := c.Apply(s); err != nil {
			t.Fatalf("%T: %v", c, err)
		}
	}
	back := mustParse(t, string(Print(s)))
	if a, b := modelJSON(t, s), modelJSON(t, back); a != b {
		t.Errorf("API model %s\nprinted and parsed %s", a, b)
	}
}
