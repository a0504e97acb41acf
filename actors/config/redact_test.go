package config

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
)

func TestRedactURL(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"rtsp://admin:hunter22@cam.local:554/stream1", "rtsp://admin:***@cam.local:554/stream1"},
		{"rtsp://admin@cam.local/s", "rtsp://admin@cam.local/s"},
		{"rtmp://a.b:1935/live/secretkey", "rtmp://a.b:1935/live/***"},
		{"rtmps://a.b/app/key/with/slashes?x=1", "rtmps://a.b/app/***?x=1"},
		{"rtmp://a.b/live", "rtmp://a.b/live"},
		{"rtmp://a.b/live/", "rtmp://a.b/live/"},
		{"srt://h:9000?streamid=%23!::r=x,password=p&passphrase=pp&latency=200", "srt://h:9000?streamid=***&passphrase=***&latency=200"},
		{"http://h/x.m3u8?token=abc&a=1&Password=b", "http://h/x.m3u8?token=***&a=1&Password=***"},
		{"http://u:p@auth.local/check", "http://u:***@auth.local/check"},
		{"securetoken://SECRETKEY?no_check_ip=true", "securetoken://***?no_check_ip=true"},
		{"securetoken://SECRETKEY", "securetoken://***"},
		{"udp://239.0.0.1:1234", "udp://239.0.0.1:1234"},
		{"publish://", "publish://"},
		{"fake://", "fake://"},
		{"file:///media/a.mp4", "file:///media/a.mp4"},
		{"http://h/p#frag", "http://h/p#***"},
		{"mailto:secret", "mailto:***"},
		{"%zz://bad", "(unparsable url)"},
		{"", ""},
	} {
		if got := RedactURL(c.in); got != c.want {
			t.Errorf("RedactURL(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestScrub(t *testing.T) {
	raw := "rtsp://admin:hunter22@cam.local/s?token=tok123"
	text := `dial "rtsp://admin:hunter22@cam.local/s?token=tok123": 401; retried with hunter22 and tok123`
	got := Scrub(text, raw)
	for _, s := range []string{"hunter22", "tok123"} {
		if strings.Contains(got, s) {
			t.Errorf("Scrub left %q in %q", s, got)
		}
	}
	if !strings.Contains(got, "rtsp://admin:***@cam.local/s?token=***") {
		t.Errorf("Scrub(%q) = %q, want the redacted URL in place", text, got)
	}
}

// secretPlaces puts a distinct secret in every place of a configuration
// that can hold one. Each name is the place; each secret is unique, so a
// leak names its place.
var secretPlaces = []struct {
	place  string
	secret string
	put    func(s *Server, secret string)
}{
	{"edit_auth password", "editpw1", func(s *Server, x string) { s.EditAuth = &Credentials{Login: "admin", Password: x} }},
	{"view_auth password", "viewpw2", func(s *Server, x string) { s.ViewAuth = &Credentials{Login: "viewer", Password: x} }},
	{"cluster_key", "clusterk3", func(s *Server, x string) { s.ClusterKey = x }},
	{"peer cluster_key", "peerk4", func(s *Server, x string) { s.Peers = []Peer{{Hostname: "p", ClusterKey: x}} }},
	{"srt_publish passphrase", "srtpass5", func(s *Server, x string) { s.SRTPublish = &SRTConfig{Passphrase: x} }},
	{"rtsp input password", "rtsppw6", func(s *Server, x string) { s.Streams[0].Inputs[0].URL = "rtsp://u:" + x + "@cam/s" }},
	{"input query token", "intok7", func(s *Server, x string) { s.Streams[0].Inputs[0].URL = "http://h/a.m3u8?token=" + x }},
	{"input passphrase option", "inpass8", func(s *Server, x string) {
		s.Streams[0].Inputs[0].Options = map[string]string{"passphrase": x}
	}},
	{"input streamid option", "insid9", func(s *Server, x string) {
		s.Streams[0].Inputs[0].Options = map[string]string{"streamid": "#!::r=a,password=" + x}
	}},
	{"rtmp push stream key", "pushkey10", func(s *Server, x string) { s.Streams[0].Pushes = []Push{{URL: "rtmp://yt/live2/" + x}} }},
	{"srt push passphrase", "pushpp11", func(s *Server, x string) {
		s.Streams[0].Pushes = []Push{{URL: "srt://h:9000?passphrase=" + x}}
	}},
	{"push streamid option", "pushsid12", func(s *Server, x string) {
		s.Streams[0].Pushes = []Push{{URL: "srt://h:9000", Options: map[string]string{"streamid": x}}}
	}},
	{"stream password", "streampw13", func(s *Server, x string) { s.Streams[0].Password = x }},
	{"stream on_play securetoken", "stok14", func(s *Server, x string) { s.Streams[0].OnPlay = &AuthSpec{URL: "securetoken://" + x} }},
	{"stream on_publish backend credentials", "obpw15", func(s *Server, x string) {
		s.Streams[0].OnPublish = &AuthSpec{URL: "http://u:" + x + "@auth/pub"}
	}},
	{"template input", "tplpw16", func(s *Server, x string) {
		s.Templates = []Template{{Name: "t", MediaOptions: MediaOptions{Inputs: []Input{{URL: "rtsp://u:" + x + "@c/s"}}}}}
	}},
	{"template on_play", "tplplay17", func(s *Server, x string) {
		s.Templates = []Template{{Name: "t", MediaOptions: MediaOptions{OnPlay: &AuthSpec{URL: "http://h/a?secret=" + x}}}}
	}},
	{"server on_play securetoken", "srvtok18", func(s *Server, x string) { s.OnPlay = &AuthSpec{URL: "securetoken://" + x} }},
	{"server on_publish backend", "srvpub19", func(s *Server, x string) { s.OnPublish = &AuthSpec{URL: "https://u:" + x + "@a/p"} }},
	{"auth_backend backend credentials", "abpw20", func(s *Server, x string) {
		s.AuthBackends = []AuthBackend{{Name: "b", Backends: []AuthBackendURL{{URL: "http://u:" + x + "@b/auth"}}}}
	}},
	{"auth_backend allow token", "abtok21", func(s *Server, x string) {
		s.AuthBackends = []AuthBackend{{Name: "b", AllowTokens: []string{x}}}
	}},
}

func secretConfig() *Server {
	return &Server{Streams: []Stream{{Name: "cam", MediaOptions: MediaOptions{Inputs: []Input{{URL: "fake://"}}}}}}
}

// TestRedactedHidesEverySecret: each place's secret is in the plain
// config's JSON (so the check can fail), and not in the redacted one's;
// the original is left as it was.
func TestRedactedHidesEverySecret(t *testing.T) {
	for _, p := range secretPlaces {
		t.Run(p.place, func(t *testing.T) {
			cfg := secretConfig()
			p.put(cfg, p.secret)
			plain, _ := json.Marshal(cfg)
			if !strings.Contains(string(plain), p.secret) {
				t.Fatalf("the secret is not in the plain JSON: %s", plain)
			}
			red, _ := json.Marshal(cfg.Redacted())
			if strings.Contains(string(red), p.secret) {
				t.Errorf("redacted JSON shows the secret: %s", red)
			}
			after, _ := json.Marshal(cfg)
			if string(after) != string(plain) {
				t.Errorf("Redacted modified the original:\n%s\nwas\n%s", after, plain)
			}
		})
	}
}

// TestRedactedKeepsTheRest: what is not a secret reads as it was.
func TestRedactedKeepsTheRest(t *testing.T) {
	cfg := secretConfig()
	cfg.ViewAuth = &Credentials{Login: "viewer", Password: "x"}
	cfg.Streams[0].Inputs = append(cfg.Streams[0].Inputs, Input{URL: "rtsp://u:p@cam/s", Options: map[string]string{"rtsp_tcp": "true"}})
	r := cfg.Redacted()
	if r.ViewAuth.Login != "viewer" || r.ViewAuth.Password != Mask {
		t.Errorf("view_auth = %+v", r.ViewAuth)
	}
	in := r.Streams[0].Inputs
	if in[0].URL != "fake://" || in[1].URL != "rtsp://u:***@cam/s" || in[1].Options["rtsp_tcp"] != "true" {
		t.Errorf("inputs = %+v", in)
	}
	if r.Streams[0].Password != "" {
		t.Errorf("an unset password reads %q, want empty", r.Streams[0].Password)
	}
}

// FuzzRedactURL: a URL's password never survives redaction (unless the
// same text also sits in a part that is no secret), and nothing panics.
func FuzzRedactURL(f *testing.F) {
	for _, s := range []string{"rtsp://u:p4ss@h/s?token=t", "rtmp://h/a/k", "securetoken://s?x=1", "srt://h?streamid=a"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		out := RedactURL(raw)
		u, err := url.Parse(raw)
		if err != nil {
			return
		}
		p, ok := u.User.Password()
		if !ok || len(p) < 3 || strings.Contains(strings.Replace(raw, p, "", 1), p) ||
			strings.Contains(u.User.Username(), p) || strings.Contains(Mask, p) {
			return
		}
		if strings.Contains(out, p) {
			t.Errorf("RedactURL(%q) = %q shows the password %q", raw, out, p)
		}
	})
}
