package config

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestSRTPlayParses(t *testing.T) {
	s := mustParse(t, `srt_play { port 9990; passphrase globalsecret; latency 200; }
stream a { input fake://; srt_play { port 127.0.0.1:9991; passphrase streamsecret; } }
stream b { input fake://; srt_play 9992; }`)
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	if g := s.SRTPlay; g == nil || g.Port.Port != 9990 || g.Passphrase != "globalsecret" || g.Latency != 200 {
		t.Errorf("global srt_play = %+v", g)
	}
	if p := s.Streams[0].SRTPlay; p == nil || *p.Port != (ListenSpec{"127.0.0.1", 9991}) || p.Passphrase != "streamsecret" {
		t.Errorf("stream a srt_play = %+v", p)
	}
	if p := s.Streams[1].SRTPlay; p == nil || p.Port.Port != 9992 || p.Passphrase != "" {
		t.Errorf("stream b srt_play = %+v", p)
	}
	for _, n := range s.Inactive() {
		t.Errorf("reported inactive: %s", n)
	}
	text := string(Print(s))
	for _, want := range []string{"srt_play {\n  port 9990;\n  passphrase globalsecret;\n  latency 200;\n}", "srt_play {\n    port 127.0.0.1:9991;"} {
		if !strings.Contains(text, want) {
			t.Errorf("printed text lacks %q:\n%s", want, text)
		}
	}
	b, err := json.Marshal(s.Streams[0])
	if err != nil || !strings.Contains(string(b), `"srt_play":{"port":"127.0.0.1:9991","passphrase":"streamsecret"}`) {
		t.Errorf("API JSON %s (%v)", b, err)
	}
}

func TestSRTPlayRedacted(t *testing.T) {
	s := mustParse(t, `srt_play { port 9990; passphrase globalsecret; }
stream a { input fake://; srt_play { port 9991; passphrase streamsecret; } }`)
	b, err := json.Marshal(s.Redacted())
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "globalsecret") || strings.Contains(string(b), "streamsecret") {
		t.Errorf("a view-only reader sees a passphrase: %s", b)
	}
	if s.SRTPlay.Passphrase != "globalsecret" || s.Streams[0].SRTPlay.Passphrase != "streamsecret" {
		t.Error("Redacted changed the original")
	}
}

func TestSRTValidate(t *testing.T) {
	for _, tt := range []struct{ name, src, want string }{
		{"stream play port taken by the global srt", "srt 9000; stream a { input fake://; srt_play 9000; }", "srt port 9000 is taken by /srt"},
		{
			"two streams on one play port", "stream a { input fake://; srt_play 9001; } stream b { input fake://; srt_play { port 9001; } }",
			"srt port 9001 is taken by /streams/0/srt_play/port",
		},
		{"play and publish on one port", "srt_publish 9002; srt_play 9002;", "srt port 9002 is taken by /srt_publish/port"},
		{"a stream's srt and srt_play", "stream a { input publish://; srt 9003; srt_play 9003; }", "taken by /streams/0/srt"},
		{"one address on every address", "srt_play 9004; stream a { input fake://; srt_play 127.0.0.1:9004; }", "taken by /srt_play/port"},
		{"short passphrase", "srt_play { port 9005; passphrase short; }", "passphrase of 5 characters: SRT takes 10 to 79"},
		{"long passphrase", "stream a { input fake://; srt_play { port 9006; passphrase " + strings.Repeat("p", 80) + "; } }", "passphrase of 80 characters"},
		{"short srt_publish passphrase", "srt_publish { port 9007; passphrase short; }", "passphrase of 5 characters"},
		{"negative latency", "srt_play { port 9008; latency -1; }", "latency -1 is negative"},
		{"port out of range", "srt_play 70000;", "port 70000 out of range"},
		{"srt_play in a template", "template t { prefix live; srt_play 9009; }", "srt_play belongs in a stream"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Parse("test.conf", []byte(tt.src))
			if err == nil {
				err = s.Validate()
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("%s: got %v, want %q", tt.src, err, tt.want)
			}
		})
	}
	for _, ok := range []string{
		"srt 9000; srt_publish 9000; srt_play 9001;",
		"stream a { input fake://; srt_play 0; } stream b { input fake://; srt_play 0; }",
		"srt_play 127.0.0.1:9002; stream a { input fake://; srt_play 127.0.0.2:9002; }",
	} {
		s := mustParse(t, ok)
		if err := s.Validate(); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
}
