package config

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestVODForms(t *testing.T) {
	s := mustParse(t, `
file old /var/media;
file older { path /a; paths /b /c; }
vod movies {
  storage /movies;
  storage https://user:pw@origin.example.net/vod;
  cache /cache 400G 48h misses=3;
}
`)
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, v := range s.VODs {
		var urls []string
		for _, st := range v.Storages {
			urls = append(urls, st.URL)
		}
		got[v.Prefix] = strings.Join(urls, " ")
	}
	want := map[string]string{"old": "/var/media", "older": "/a /b /c", "movies": "/movies https://user:pw@origin.example.net/vod"}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s: storages %q, want %q", k, got[k], w)
		}
	}
	m, _ := s.VOD("movies")
	if c := m.Cache; c == nil || c.Path != "/cache" || c.StorageLimit != 400<<30 || c.Expiration != 48*3600 || c.Misses != 3 {
		t.Errorf("cache %+v", m.Cache)
	}
	b, _ := json.Marshal(s.Redacted())
	if strings.Contains(string(b), ":pw@") {
		t.Errorf("a view-only reader sees the storage's password: %s", b)
	}
}

func TestVODRefusals(t *testing.T) {
	for src, want := range map[string]string{
		"vod v { storage s3://k:s@minio/b; }":          "test.conf:1:17: vod \"v\" storage s3://k:***@minio/b: no storage reads s3://",
		"vod v { storage movies; }":                    "test.conf:1:17: vod \"v\" storage movies: want an absolute folder",
		"vod v { }":                                    "test.conf:1:1: vod \"v\" has no storage",
		"vod v { storage /m; }\nvod v { storage /n; }": "test.conf:2:1: vod \"v\" is defined twice",
		"vod v { storage /m; cache c 1G; }":            "test.conf:1:21: vod \"v\" cache \"c\": write the folder absolute",
		"vod v { storage /m; cache /c 1G bogus=1; }":   "test.conf:1:33: unknown cache option bogus",
		"vod v { storage /m; on_play http://a/; }":     "vod on_play is not supported yet",
		"vod v { storage /m; segment_duration 20; }":   "test.conf:1:1: vod \"v\" segment_duration 20000ms out of range",
		"file v /a /b;":                                "test.conf:1:11: unexpected argument /b",
	} {
		s, err := Parse("test.conf", []byte(src))
		if err == nil {
			err = s.Validate()
		}
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want %q", src, err, want)
		}
	}
}

func TestPutVOD(t *testing.T) {
	var s Server
	if err := (PutVOD{Prefix: "m", Patch: []byte(`{"storages":[{"url":"/movies"}]}`)}).Apply(&s); err != nil {
		t.Fatal(err)
	}
	if err := (PutVOD{Prefix: "m", Patch: []byte(`{"download":true}`)}).Apply(&s); err != nil {
		t.Fatal(err)
	}
	if v, ok := s.VOD("m"); !ok || !v.Download || len(v.Storages) != 1 {
		t.Errorf("after two puts: %+v", s.VODs)
	}
	if err := (PutVOD{Prefix: "n", Patch: []byte(`{"storages":[{"url":"ftp://x/"}]}`)}).Apply(s.Clone()); err == nil {
		t.Error("an ftp storage was accepted")
	}
	if err := (DeleteVOD{Prefix: "m"}).Apply(&s); err != nil || len(s.VODs) != 0 {
		t.Errorf("delete: %v %+v", err, s.VODs)
	}
	if err := (DeleteVOD{Prefix: "m"}).Apply(&s); err == nil {
		t.Error("deleting a missing location succeeded")
	}
}

func TestVODPlaybackSettings(t *testing.T) {
	s := mustParse(t, "vod m {\n  storage /m;\n  download;\n  auto_mbr;\n  segment_duration 2;\n}\n")
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	v, _ := s.VOD("m")
	if !v.Download || !v.AutoMBR || v.SegmentDuration != 2000 || len(v.Raw) != 0 {
		t.Errorf("read %+v", v)
	}
	if n := s.Inactive(); len(n) != 0 {
		t.Errorf("reported inactive: %v", n)
	}
	printed := string(Print(s))
	for _, line := range []string{"  download;", "  auto_mbr;", "  segment_duration 2;"} {
		if !strings.Contains(printed, line+"\n") {
			t.Errorf("printed without %q:\n%s", line, printed)
		}
	}
}
