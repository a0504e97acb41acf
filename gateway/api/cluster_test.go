package api

import (
	"testing"

	"streamhive/actors/config"
)

func clusterConfig(t *testing.T) *config.Server {
	cfg := testConfig(t, sessionsConf)
	cfg.ClusterKey = "k"
	cfg.Peers = []config.Peer{
		{Hostname: "b.example:81", APIURL: "http://10.0.0.2:81", PublicPayloadURL: "http://b.example.com"},
		{Hostname: "c.example"},
	}
	cfg.Sources = []config.Source{{URL: "origin.tv:8081", Only: []string{"cbc", "sports/*"}, Except: []string{"sports/golf"}}}
	return cfg
}

// TestClusterRead: the peers and sources lists and items match
// peers_list/peer_config and sources_list/source_config.
func TestClusterRead(t *testing.T) {
	h := newHarness(t, clusterConfig(t))
	for _, tc := range []struct {
		path, key, item, primary string
		itemSchemas              []string
		n                        int
	}{
		{"cluster/peers", "peers", "cluster/peers/b.example:81", "hostname", []string{"peer_config"}, 2},
		{
			"cluster/sources", "sources", "cluster/sources/origin.tv:8081", "url",
			[]string{"source_specific_config", "stream_config_media", "stream_config_onpremises"},
			1,
		},
	} {
		props := schemaProps(t, tc.itemSchemas...)
		r := h.get(tc.path)
		mustStatus(t, r, 200)
		env := decodeObject(t, r.body)
		envProps := schemaProps(t, "collection_response")
		envProps[tc.key] = "array"
		mustMatchSchema(t, tc.key+"_list", env, envProps)
		list, _ := env[tc.key].([]any)
		if len(list) != tc.n {
			t.Fatalf("%s: %s", tc.path, r.body)
		}
		for _, x := range list {
			mustMatchSchema(t, tc.itemSchemas[0], x.(map[string]any), props, tc.primary)
		}
		r = h.get(tc.item)
		mustStatus(t, r, 200)
		mustMatchSchema(t, tc.itemSchemas[0], decodeObject(t, r.body), props, tc.primary)
		mustError(t, h.get(tc.path+"/nope"), 404, "not_found")
	}
	if r := h.get("cluster/sources/origin.tv:8081"); string(r.body) !=
		`{"url":"origin.tv:8081","only":["cbc","sports/*"],"except":["sports/golf"]}` {
		t.Errorf("GET source: %s", r.body)
	}
	mustError(t, h.get("cluster/nodes"), 404, "not_found")
}

// TestClusterWrite: PUT and DELETE go through the config owner.
func TestClusterWrite(t *testing.T) {
	h := newHarness(t, clusterConfig(t))
	r := h.do("PUT", "cluster/peers/d.example:82", `{"api_url":"http://10.0.0.4:82","cluster_key":"k"}`)
	mustStatus(t, r, 200)
	mustMatchSchema(t, "peer_config", decodeObject(t, r.body), schemaProps(t, "peer_config"), "hostname")
	r = h.do("PUT", "cluster/sources/origin.tv:8081", `{"except":null,"only":["news"]}`)
	mustStatus(t, r, 200)
	if string(r.body) != `{"url":"origin.tv:8081","only":["news"]}` {
		t.Errorf("PUT source: %s", r.body)
	}
	mustError(t, h.do("PUT", "cluster/peers/x", `{"hostname":"y"}`), 400, "invalid_config")
	mustStatus(t, h.do("DELETE", "cluster/peers/c.example", ""), 204)
	mustError(t, h.do("DELETE", "cluster/sources/nope", ""), 404, "not_found")
	cfg := h.ctl.Config()
	if len(cfg.Peers) != 2 || cfg.Peers[1].Hostname != "d.example:82" || cfg.Peers[1].ClusterKey != "k" {
		t.Errorf("peers after the writes: %+v", cfg.Peers)
	}
}
