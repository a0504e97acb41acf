package config

import (
	"strings"
	"testing"
)

func TestDRMCPIXParsesPrintsAndRedacts(t *testing.T) {
	src := "stream tv {\n  input publish://;\n  drm cpix keyserver=\"http://drm/api/cpix?client=app&clientToken=SECRET\" resource_id=tv1 expires=2;\n}"
	markBuilt(t, "drm cpix")
	s := mustParse(t, src)
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	d := s.Streams[0].DRM
	if d == nil || d.Vendor != "cpix" || d.ResourceID != "tv1" || d.Expires != 2 || !strings.Contains(d.Keyserver, "clientToken=SECRET") {
		t.Fatalf("model: %+v", d)
	}
	again := mustParse(t, string(Print(s)))
	if !again.Streams[0].DRM.equal(d) {
		t.Errorf("printed back: %s", Print(s))
	}
	red := s.Redacted()
	if k := red.Streams[0].DRM.Keyserver; strings.Contains(k, "SECRET") || !strings.Contains(k, "clientToken="+Mask) {
		t.Errorf("redacted keyserver: %s", k)
	}
	if !strings.Contains(s.Streams[0].DRM.Keyserver, "SECRET") {
		t.Error("redaction changed the running model")
	}
}

func TestDRMRefusals(t *testing.T) {
	cases := map[string]struct{ line, want string }{
		"other vendor":   {"drm keyos userkey=abc;", "test.conf:3:3: stream drm is not supported yet"},
		"no keyserver":   {"drm cpix resource_id=x;", "test.conf:3:3: drm cpix: keyserver=URL is required"},
		"not http":       {"drm cpix keyserver=ftp://k/x;", "test.conf:3:12: drm cpix: keyserver ftp://k/x is not an http(s) URL"},
		"unknown option": {"drm cpix keyserver=http://k/ encryption=full;", "test.conf:3:32: drm cpix: unknown option"},
		"bad expires":    {"drm cpix keyserver=http://k/ expires=soon;", "test.conf:3:32: drm: expires=soon"},
		"no vendor":      {"drm keyserver=http://k/;", "test.conf:3:3: drm: want a vendor first"},
		"clear hls":      {"drm cpix keyserver=http://k/ clear=jpeg,hls;", `test.conf:3:32: drm: clear=jpeg,hls: "hls" is no output that cannot be encrypted`},
		"ts method":      {"drm cpix keyserver=http://k/ ts_method=cbcs;", "test.conf:3:32: drm: ts_method=cbcs: want aes_128 or sample_aes"},
		"cert alone":     {"drm cpix keyserver=http://k/ end_user_cert=/c.pem;", "test.conf:3:3: drm cpix: end_user_cert= and end_user_private_key= go together"},
	}
	for name, c := range cases {
		src := "stream a {\n  input publish://;\n  " + c.line + "\n}"
		s, err := Parse("test.conf", []byte(src))
		if err == nil {
			err = s.Validate()
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want %q", name, err, c.want)
		}
	}
}

func TestDRMDeliveryIdentityOptions(t *testing.T) {
	src := "stream tv {\n  input publish://;\n  drm cpix keyserver=http://k/cpix end_user_cert=/etc/c.pem end_user_private_key=/etc/k.pem;\n}"
	markBuilt(t, "drm cpix")
	s := mustParse(t, src)
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	d := s.Streams[0].DRM
	if d.EndUserCert != "/etc/c.pem" || d.EndUserPrivateKey != "/etc/k.pem" {
		t.Fatalf("model: %+v", d)
	}
	if again := mustParse(t, string(Print(s))); !again.Streams[0].DRM.equal(d) {
		t.Errorf("printed back: %s", Print(s))
	}
	if e := d.ErrorAt("end_user_private_key", "/streams/0/drm/end_user_private_key", "unreadable"); e.Error() != "test.conf:3:61: unreadable" {
		t.Errorf("ErrorAt: %v", e)
	}
}

func TestDRMClearOutputs(t *testing.T) {
	src := "stream tv {\n  input publish://;\n  drm cpix keyserver=http://k/cpix clear=tshttp,jpeg;\n}"
	markBuilt(t, "drm cpix")
	s := mustParse(t, src)
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	d := s.Streams[0].DRM
	if strings.Join(d.Clear, ",") != "tshttp,jpeg" {
		t.Fatalf("model: %+v", d)
	}
	if again := mustParse(t, string(Print(s))); !again.Streams[0].DRM.equal(d) {
		t.Errorf("printed back: %s", Print(s))
	}
}

func TestDRMTSMethod(t *testing.T) {
	markBuilt(t, "drm cpix")
	for _, method := range []string{DRMTSSampleAES, DRMTSAES128} {
		src := "stream tv {\n  input publish://;\n  drm cpix keyserver=http://k/cpix ts_method=" + method + ";\n}"
		s := mustParse(t, src)
		if err := s.Validate(); err != nil {
			t.Fatal(err)
		}
		d := s.Streams[0].DRM
		if d.TSMethod != method {
			t.Fatalf("model: %+v", d)
		}
		again := mustParse(t, string(Print(s)))
		if !again.Streams[0].DRM.equal(d) || !strings.Contains(string(Print(s)), "ts_method="+method) {
			t.Errorf("printed back: %s", Print(s))
		}
		other := *d
		other.TSMethod = ""
		if other.equal(d) {
			t.Error("a drm line without ts_method equals one with it")
		}
	}
}
