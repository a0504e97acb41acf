package api

import (
	"testing"

	"github.com/valyala/fasthttp"
)

// cluster_ingest goes through the API as cluster_ingest_config spells
// it, on a stream and on a template.
func TestClusterIngestRoundTrip(t *testing.T) {
	h := newHarness(t, testConfig(t, "stream a { input fake://; }\n"))
	for _, path := range []string{"streams/cam", "templates/cams"} {
		body := `{"inputs":[{"url":"fake://"}],"cluster_ingest":{"capture_at":"streamer"}}`
		if path == "templates/cams" {
			body = `{"prefixes":["cams"],"cluster_ingest":{}}`
		}
		mustStatus(t, h.do("PUT", path, body), fasthttp.StatusOK)
		r := h.get(path)
		mustStatus(t, r, fasthttp.StatusOK)
		obj := decodeObject(t, r.body)
		ci, ok := obj["cluster_ingest"].(map[string]any)
		if !ok {
			t.Fatalf("%s: cluster_ingest %v in %s", path, obj["cluster_ingest"], r.body)
		}
		mustMatchSchema(t, "cluster_ingest_config", ci, schemaProps(t, "cluster_ingest_config"))
		if path == "streams/cam" && ci["capture_at"] != "streamer" {
			t.Errorf("%s: cluster_ingest %v, want capture_at streamer", path, ci)
		}
	}
}
