package config

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestClusterIngestForms: both forms read into the model, print back and
// go to the API's JSON as cluster_ingest_config spells it.
func TestClusterIngestForms(t *testing.T) {
	for src, want := range map[string]string{
		"stream a { cluster_ingest; }":                      `{}`,
		"stream a { cluster_ingest capture_at=streamer; }":  `{"capture_at":"streamer"}`,
		"stream a { cluster_ingest capture_at=s1.h:8081; }": `{"capture_at":"s1.h:8081"}`,
	} {
		s := mustParse(t, src)
		if err := s.Validate(); err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		b, err := json.Marshal(s.Streams[0].ClusterIngest)
		if err != nil || string(b) != want {
			t.Errorf("%s: JSON %s, %v; want %s", src, b, err, want)
		}
		if n := noticeFor(s, "stream cluster_ingest"); n != nil {
			t.Errorf("%s: reported inactive: %s", src, n)
		}
		roundTrip(t, s)
	}
	if s := mustParse(t, "stream a;"); s.Streams[0].ClusterIngest != nil {
		t.Error("a stream without the directive has a ClusterIngest")
	}
}

func TestClusterIngestErrors(t *testing.T) {
	for src, want := range map[string]string{
		"stream a { cluster_ingest capture_at=; }":      "test.conf:1:27: cluster_ingest: unknown option",
		"stream a { cluster_ingest somewhere; }":        "test.conf:1:27: cluster_ingest: unknown option",
		"stream a { cluster_ingest { capture_at x; } }": "takes no block",
	} {
		_, err := Parse("test.conf", []byte(src))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", src, err, want)
		}
	}
}

// TestClusterIngestTemplate: a template's cluster_ingest applies to its
// streams (template_config has it too), and a stream's capture_at wins.
func TestClusterIngestTemplate(t *testing.T) {
	s := mustParse(t, "template t { prefix cams; cluster_ingest capture_at=a; }\n"+
		"stream cams/x;\nstream cams/y { cluster_ingest capture_at=b; }\nstream z;")
	for name, want := range map[string]string{"cams/x": "a", "cams/y": "b"} {
		eff, ok := s.Effective(name)
		if !ok || eff.ClusterIngest == nil || eff.ClusterIngest.CaptureAt != want {
			t.Errorf("%s: effective cluster_ingest %+v, want capture_at=%s", name, eff.ClusterIngest, want)
		}
	}
	if eff, _ := s.Effective("z"); eff.ClusterIngest != nil {
		t.Errorf("z: cluster_ingest %+v without the directive", eff.ClusterIngest)
	}
	var put Server
	err := PutStream{Name: "w", Patch: []byte(`{"cluster_ingest":{"capture_at":"s2"}}`)}.Apply(&put)
	if err != nil || put.Streams[0].ClusterIngest == nil || put.Streams[0].ClusterIngest.CaptureAt != "s2" {
		t.Fatalf("PUT with cluster_ingest: %v %+v", err, put.Streams)
	}
}
