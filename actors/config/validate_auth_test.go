package config

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestValidateProtectionValues: each bad value of a protection directive
// is an error at its position, whether or not the directive is built.
func TestValidateProtectionValues(t *testing.T) {
	markBuilt(t)
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"good", "auth_backend b { allow ip 10/8; }\non_play auth://b; stream a { on_play https://h/x?y=1 session_keys=name,ip,proto,uid; }", nil},
		{"unknown backend", "stream a {\n  on_play auth://nope;\n}", []string{`f.conf:2:11: on_play: unknown auth_backend "nope"`}},
		{"bad scheme", "stream a { auth ftp://h/x; }", []string{`f.conf:1:17: auth: want http(s)://..., auth://NAME, securetoken://SECRET or true, got scheme "ftp"`}},
		{"no scheme", "on_publish nope;", []string{`f.conf:1:12: on_publish: want http(s)://`}},
		{"http without host", "stream a { on_play http:///x; }", []string{`f.conf:1:20: on_play: URL: want http:// or https:// and a host`}},
		{"empty secret", "stream a { on_play securetoken://; }", []string{`f.conf:1:20: on_play: securetoken:// needs a secret`}},
		{"secure link option", "stream a { on_play securetoken://s3cr3t?no_check_ip=yes; }", []string{`f.conf:1:20: on_play: securetoken:// takes one option, no_check_ip=true or false`}},
		{"secure link unknown option", "stream a { on_play securetoken://s3cr3t?x=1; }", []string{`securetoken:// takes one option`}},
		{"countries", "stream a { on_play true allowed_countries=RU,XX disallowed_countries=USA; }", []string{
			`f.conf:1:46: on_play allowed_countries: "XX" is not an ISO 3166 country code`,
			`f.conf:1:70: on_play disallowed_countries: "USA" is not an ISO 3166 country code`,
		}},
		{"country directive", "template t {\n  allowed_countries RU ZZ;\n}", []string{`f.conf:2:24: on_play allowed_countries: "ZZ" is not`}},
		{"domains", "stream a { domains a.com \"b c\"; }", []string{`f.conf:1:26: on_play domains: "b c" is not a domain`}},
		{"session keys", "stream a { session_keys name ip proto \"a&b\"; }\nstream b { session_keys name token; }", []string{
			`f.conf:1:39: on_play session_keys: "a&b": want name, ip, proto, token or a query key`,
			`f.conf:2:12: on_play session_keys must include name, ip and proto`,
		}},
		{"negative max_sessions", "max_sessions -1;\nstream a { max_sessions -2; }", []string{
			`f.conf:1:1: max_sessions -1 is negative`, `f.conf:2:12: on_play max_sessions -2 is negative`,
		}},
		{"auth_backend values", "auth_backend b {\n  allow ip 10.0.0.1 300.1/8 10.0/33;\n  deny country gb EN;\n  allow token \"\";\n  backend ftp://x;\n}", []string{
			`f.conf:2:21: auth_backend "b": "300.1/8" is not an address or a subnet`,
			`f.conf:2:29: auth_backend "b": "10.0/33" is not an address`,
			`f.conf:3:19: auth_backend "b": "EN" is not an ISO 3166 country code`,
			`f.conf:4:15: auth_backend "b": empty token`,
			`f.conf:5:11: auth_backend "b": backend URL: want http:// or https://`,
		}},
		{"duplicate auth_backend", "auth_backend b {}\nauth_backend b {}\nauth_backend \"a b\" {}", []string{
			`f.conf:2:1: duplicate auth_backend "b"`, `f.conf:3:1: bad auth_backend name "a b"`,
		}},
		{"api_allowed_from", "api_allowed_from 10.0.0.0/8\n  nope;", []string{`f.conf:2:3: api_allowed_from: "nope" is not an address`}},
		{"auth_token", "auth_token \"a b\";", []string{`f.conf:1:1: auth_token "a b": want a query key`}},
		{"certificate on a plain listener", "http 80 certificate=/c certificate_key=/k;", []string{`f.conf:1:9: http does not speak TLS`}},
		{"certificate alone", "https 443 certificate=/c;", []string{`f.conf:1:7: https: certificate and certificate_key go together`}},
		{"ssl_protocols", "rtsps 1555 ssl_protocols=tlsv1.2,sslv3,tlsv1.1;", []string{
			`f.conf:1:34: ssl_protocols: "sslv3" is refused; want tlsv1.2 or tlsv1.3`,
			`f.conf:1:40: ssl_protocols: "tlsv1.1" is refused; want tlsv1.2 or tlsv1.3`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := mustParseAs(t, "f.conf", tt.src).Validate()
			if tt.want == nil {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error, want %q", tt.want)
			}
			lines := strings.Split(err.Error(), "\n")
			if len(lines) != len(tt.want) {
				t.Errorf("got %d errors, want %d:\n%v", len(lines), len(tt.want), err)
			}
			for i, w := range tt.want {
				if i < len(lines) && !strings.Contains(lines[i], w) {
					t.Errorf("error %d: got %q, want %q", i, lines[i], w)
				}
			}
		})
	}
}

func mustParseAs(t *testing.T, file, src string) *Server {
	t.Helper()
	s, err := Parse(file, []byte(src))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return s
}

// TestValidateProtectionJSON: the same checks on a configuration from the
// API name JSON pointers; "true" allows all.
func TestValidateProtectionJSON(t *testing.T) {
	markBuilt(t)
	var s Server
	body := `{"auth_backends":[{"name":"b","allow_ips":["172.16/24","::1","x"],"allow_countries":["us"]}],
		"on_play":{"url":"auth://c","allowed_countries":["ru","QQ"]},
		"listeners":{"rtmp":[{"port":1935,"ssl_protocols":["tlsv1.2"]}]},
		"streams":[{"name":"a","on_play":{"url":"true"},"on_publish":{"url":"securetoken://k","session_keys":["ip"]}}]}`
	if err := json.Unmarshal([]byte(body), &s); err != nil {
		t.Fatal(err)
	}
	err := s.Validate()
	for _, want := range []string{
		`/auth_backends/0/allow_ips/2: auth_backend "b": "x" is not an address`,
		`/on_play/url: on_play: unknown auth_backend "c"`,
		`/on_play/allowed_countries/1: on_play allowed_countries: "QQ"`,
		`/listeners/rtmp/0: rtmp does not speak TLS`,
		`/streams/0/on_publish/session_keys: on_publish session_keys must include name, ip and proto`,
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Validate: got\n%v\nwant %q", err, want)
		}
	}
	if n := strings.Count(err.Error(), "\n") + 1; n != 5 {
		t.Errorf("got %d errors, want 5:\n%v", n, err)
	}
}

// TestValidateKeepsSecretsOut: a bad secure link or backend URL is named
// without its secret.
func TestValidateKeepsSecretsOut(t *testing.T) {
	markBuilt(t)
	err := mustParse(t, "stream a { on_play securetoken://s3cr3t?a=b; on_publish http://user:s3cr3t@/x; }").Validate()
	if err == nil || strings.Contains(err.Error(), "s3cr3t") {
		t.Errorf("got %v", err)
	}
}

func TestParseCIDR(t *testing.T) {
	for in, want := range map[string]string{
		"127.0.0.1": "127.0.0.1/32", "10.0.0.0/8": "10.0.0.0/8", "172.16/24": "172.16.0.0/24",
		"10/8": "10.0.0.0/8", "192.168.0/24": "192.168.0.0/24", "::1": "::1/128", "fd00::/8": "fd00::/8",
	} {
		p, err := ParseCIDR(in)
		if err != nil || p.String() != want {
			t.Errorf("ParseCIDR(%q) = %v, %v; want %s", in, p, err, want)
		}
	}
	for _, bad := range []string{"", "x", "10/", "10/x", "1.2.3.4.5/8", "172.16/33", "fe80/8", "256/8"} {
		if _, err := ParseCIDR(bad); err == nil {
			t.Errorf("ParseCIDR(%q): no error", bad)
		}
	}
}
