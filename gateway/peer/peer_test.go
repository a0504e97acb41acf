package peer

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	"streamhive/actors/cluster"
)

type fakeNode struct{}

func (fakeNode) CheckProof(p string) bool { return cluster.CheckKeyProof("k", p, time.Now()) }
func (fakeNode) Info() cluster.NodeInfo   { return cluster.NodeInfo{ID: "n1", Address: "127.0.0.1:9"} }

func call(t *testing.T, h fasthttp.RequestHandler, method, path, proof string) *fasthttp.RequestCtx {
	t.Helper()
	var rc fasthttp.RequestCtx
	rc.Request.Header.SetMethod(method)
	rc.Request.SetRequestURI(path)
	if proof != "" {
		rc.Request.Header.Set(cluster.KeyHeader, proof)
	}
	h(&rc)
	return &rc
}

func TestEndpointsCheckTheKeyOnce(t *testing.T) {
	var log bytes.Buffer
	h := Handler(fakeNode{}, Routes{}, slog.New(slog.NewTextHandler(&log, nil)))
	good := cluster.KeyProof("k", time.Now())
	rc := call(t, h, "GET", cluster.NodePath, good)
	var info cluster.NodeInfo
	if err := json.Unmarshal(rc.Response.Body(), &info); rc.Response.StatusCode() != 200 || err != nil || info.ID != "n1" {
		t.Fatalf("probe: %d %s", rc.Response.StatusCode(), rc.Response.Body())
	}
	for _, tt := range []struct {
		method, path, proof string
		status              int
	}{
		{"GET", cluster.NodePath, cluster.KeyProof("other", time.Now()), 403},
		{"GET", cluster.NodePath, "", 403},
		{"GET", Prefix + "nothing", "", 403},
		{"GET", Prefix + "nothing", good, 404},
		{"POST", cluster.NodePath, good, 405},
	} {
		if rc := call(t, h, tt.method, tt.path, tt.proof); rc.Response.StatusCode() != tt.status {
			t.Errorf("%s %s: %d, want %d", tt.method, tt.path, rc.Response.StatusCode(), tt.status)
		}
	}
	if !strings.Contains(log.String(), "refused an inter-node request") {
		t.Errorf("log: %s", log.String())
	}
	if !Match([]byte(cluster.NodePath)) || Match([]byte("/streamhive/clusterx")) {
		t.Error("Match")
	}
}
