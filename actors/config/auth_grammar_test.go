package config

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// protectionConfig uses every protection directive and option, each form
// the parser reads. It seeds FuzzParse (roundTripConfigs) too.
const protectionConfig = `https 443 certificate=/etc/ssl/c.pem certificate_key="/etc/ssl/k ey.pem" ssl_protocols=tlsv1.2,tlsv1.3;
rtmps 1936; rtsps 127.0.0.1:1555 certificate=/c.pem certificate_key=/k.pem;
geoip /usr/share/GeoIP/GeoLite2-Country.mmdb;
api_allowed_from 10.0.0.0/8 172.16/24;
api_allowed_from ::1;
auth_token tok; max_sessions 1000;
on_play http://auth/play max_sessions=3 soft_limitation=true;
on_publish auth://pub;
auth_backend pub {
  allow token t1 t2; deny token t3;
  allow ip 127.0.0.1; allow ip 172.16/24; deny ip 8.8.8.8 10/8;
  allow country ru US; deny country GB;
  allow ua MAG "VLC/3.0 LibVLC"; deny ua "Mozilla/5.0 (Windows";
  backend http://a/auth.php; backend https://b/auth;
  allow default;
}
auth_backend empty {}
template t {
  prefix live;
  auth securetoken://KEY?no_check_ip=true;
  domains a.com b.com; allowed_countries RU us; disallowed_countries GB;
  max_sessions 5; soft_limitation; session_keys name ip proto token;
}
stream a { on_play true; on_publish; password p; }
stream b { domains x.com; }
stream c { on_play http://c domains=y,z; }
stream d { on_play http://a/b?x=y&token=1 session_keys=name,ip,proto,uid disallowed_countries=CN allowed_countries=de; }
`

func TestParseProtection(t *testing.T) {
	s := mustParse(t, protectionConfig)
	got := modelJSON(t, s)
	for _, want := range []string{
		`"https":[{"port":443,"certificate":"/etc/ssl/c.pem","certificate_key":"/etc/ssl/k ey.pem","ssl_protocols":["tlsv1.2","tlsv1.3"]}]`,
		`"rtsps":[{"port":1555,"address":"127.0.0.1","certificate":"/c.pem","certificate_key":"/k.pem"}]`,
		`"geoip":"/usr/share/GeoIP/GeoLite2-Country.mmdb"`,
		`"api_allowed_from":["10.0.0.0/8","172.16.0.0/24","::1"]`,
		`"auth_token":"tok"`, `"max_sessions":1000`,
		`"on_play":{"url":"http://auth/play","max_sessions":3,"soft_limitation":true}`,
		`"on_publish":{"url":"auth://pub"}`,
		`{"name":"pub","allow_tokens":["t1","t2"],"deny_tokens":["t3"],"allow_ips":["127.0.0.1","172.16.0.0/24"],` +
			`"deny_ips":["8.8.8.8","10.0.0.0/8"],"allow_countries":["RU","US"],"deny_countries":["GB"],` +
			`"allow_uas":["MAG","VLC/3.0 LibVLC"],"deny_uas":["Mozilla/5.0 (Windows"],` +
			`"backends":[{"url":"http://a/auth.php"},{"url":"https://b/auth"}],"allow_default":true}`,
		`{"name":"empty"}`,
		`"on_play":{"url":"securetoken://KEY?no_check_ip=true","domains":["a.com","b.com"],"max_sessions":5,` +
			`"allowed_countries":["RU","US"],"disallowed_countries":["GB"],"soft_limitation":true,"session_keys":["name","ip","proto","token"]}`,
		`"name":"a","on_play":{"url":"true"},"on_publish":{},"password":"p"`,
		`"name":"b","on_play":{"domains":["x.com"]}`,
		`"name":"c","on_play":{"url":"http://c","domains":["y","z"]}`,
		`"on_play":{"url":"http://a/b?x=y\u0026token=1","allowed_countries":["DE"],"disallowed_countries":["CN"],"session_keys":["name","ip","proto","uid"]}`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("model lacks %s\n%s", want, got)
		}
	}
}

// TestProtectionConfigValid: with everything built, the config that uses
// every directive validates.
func TestProtectionConfigValid(t *testing.T) {
	markBuilt(t)
	if err := mustParse(t, protectionConfig).Validate(); err != nil {
		t.Error(err)
	}
}

func TestParseProtectionErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{"stream a { on_play http://a http://b; }", `1:29: unexpected argument http://b: on_play takes a URL and options domains=...`},
		{"stream a {\n  on_play http://a;\n  auth http://b;\n}", `3:3: auth repeats on_play at 2:3 (auth is on_play's alias): give one`},
		{"on_play http://a soft_limitation=maybe;", `1:34: soft_limitation: expected true or false, got "maybe"`},
		{"stream a { on_play http://a max_sessions=many; }", `1:42: max_sessions: `},
		{"stream a { on_play { } }", `1:12: on_play takes no block`},
		{"stream a { domains; }", `1:19: expected a value after domains`},
		{"stream a { max_sessions x; }", `1:25: `},
		{"https 443 cert=/c;", `1:11: unknown listener option cert`},
		{"https 443 /c;", `1:11: unexpected argument /c: https takes 1 argument`},
		{"auth_backend b { allow foo x; }", `1:24: unknown allow rule foo; want token, ip, country, ua or default`},
		{"auth_backend b { allow ip; }", `1:26: expected a value after allow ip`},
		{"auth_backend b { backend; }", `1:25: expected a backend URL after backend`},
		{"auth_backend b { allow default x; }", `1:32: unexpected argument x`},
		{"auth_backend b { alow ip x; }", `1:18: unknown directive alow; did you mean "allow"?`},
		{"auth_backend { }", `expected an auth_backend name`},
		{"max_sessions many;", `1:14: `},
	}
	for _, tt := range tests {
		_, err := Parse("f.conf", []byte(tt.src))
		if err == nil || !strings.Contains(err.Error(), "f.conf:"+tt.want) && !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: got %v, want %q", tt.src, err, tt.want)
		}
	}
}

// TestProtectionJSONRoundTrip: the model's JSON (the API's view) decodes
// back to an equal model, and prints to text that parses back to it.
func TestProtectionJSONRoundTrip(t *testing.T) {
	s := mustParse(t, protectionConfig)
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var back Server
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !EqualProtection(s, &back) || modelJSON(t, &back) != string(b) {
		t.Errorf("JSON round trip differs:\n%s\n%s", b, modelJSON(t, &back))
	}
	printed := mustParse(t, string(Print(&back)))
	if modelJSON(t, printed) != string(b) {
		t.Errorf("JSON, printed and parsed, differs:\n%s\n%s\n%s", b, modelJSON(t, printed), Print(&back))
	}
}

func TestAuthBackendChanges(t *testing.T) {
	markBuilt(t)
	s := &Server{}
	steps := []Change{
		PutAuthBackend{Name: "a", Patch: []byte(`{"allow_ips":["10.0.0.0/8"],"backends":[{"url":"http://h/auth"}]}`)},
		PutAuthBackend{Name: "a", Patch: []byte(`{"deny_countries":["GB"]}`)},
		PutAuthBackend{Name: "b", Patch: []byte(`{"name":"b","allow_default":true}`)},
		PatchServer{Patch: []byte(`{"on_play":{"url":"auth://a"},"geoip":"/g.mmdb"}`)},
		DeleteAuthBackend{Name: "b"},
	}
	for _, c := range steps {
		if err := c.Apply(s); err != nil {
			t.Fatalf("%T: %v", c, err)
		}
	}
	want := `"auth_backends":[{"name":"a","allow_ips":["10.0.0.0/8"],"deny_countries":["GB"],"backends":[{"url":"http://h/auth"}]}],"on_play":{"url":"auth://a"},"geoip":"/g.mmdb"`
	if got := modelJSON(t, s); !strings.Contains(got, want) {
		t.Errorf("got %s\nwant %s", got, want)
	}
	for _, c := range []Change{
		DeleteAuthBackend{Name: "nope"},
		PutAuthBackend{Name: "a", Patch: []byte(`{"name":"other"}`)},
		PutAuthBackend{Name: "a", Patch: []byte(`{"allow_ip":["x"]}`)},
	} {
		if err := c.Apply(s.ShallowClone()); err == nil {
			t.Errorf("%+v: no error", c)
		}
	}
	if err := (DeleteAuthBackend{Name: "nope"}).Apply(s.ShallowClone()); !errors.Is(err, ErrNotFound) {
		t.Errorf("delete of a missing backend: %v", err)
	}
	err := (PutAuthBackend{Name: "a", Patch: []byte(`{"allow_ip":["x"]}`)}).Apply(s.ShallowClone())
	if err == nil || !strings.Contains(err.Error(), `/allow_ip: unknown field "allow_ip"`) {
		t.Errorf("unknown field: %v", err)
	}
}

// TestProtectionClones: Clone shares nothing of the protection, and a
// change applied to a ShallowClone leaves the original as it was.
func TestProtectionClones(t *testing.T) {
	markBuilt(t)
	a := mustParse(t, protectionConfig)
	want := modelJSON(t, a)
	b := a.Clone()
	b.AuthBackends[0].AllowIPs[0] = "x"
	b.OnPlay.SessionKeys = append(b.OnPlay.SessionKeys, "x")
	b.APIAllowedFrom[0] = "x"
	b.Listeners.HTTPS[0].SSLProtocols[0] = "x"
	b.Templates[0].OnPlay.AllowedCountries[0] = "x"
	if got := modelJSON(t, a); got != want {
		t.Errorf("clone shares memory with the original:\n%s\n%s", want, got)
	}
	for _, c := range []Change{
		PutAuthBackend{Name: "pub", Patch: []byte(`{"allow_tokens":["z"]}`)},
		PutAuthBackend{Name: "new", Patch: []byte(`{}`)},
		DeleteAuthBackend{Name: "empty"},
		PatchServer{Patch: []byte(`{"on_play":{"domains":["q"]},"api_allowed_from":["1.2.3.4"]}`)},
	} {
		_ = c.Apply(a.ShallowClone())
		if got := modelJSON(t, a); got != want {
			t.Errorf("%T changed the original", c)
		}
	}
}
