package cluster

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// The probe over HTTP: the answer of a node that checks our proof, and
// the 403 of one that holds another key.
func TestHTTPProbe(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != NodePath || !CheckKeyProof("k", r.Header.Get(KeyHeader), time.Now()) {
			w.WriteHeader(http.StatusForbidden)
			return
		}
		_ = json.NewEncoder(w).Encode(NodeInfo{ID: "n1", Address: "127.0.0.1:9"})
	}))
	defer srv.Close()
	ctx := context.Background()
	n, err := httpProbe(srv.Client(), "k")(ctx, Peer{Name: "x", URL: srv.URL + "/"})
	if err != nil || n.ID != "n1" {
		t.Fatalf("%+v %v", n, err)
	}
	if _, err := httpProbe(srv.Client(), "other")(ctx, Peer{Name: "x", URL: srv.URL}); !errors.Is(err, ErrKeyRefused) {
		t.Fatalf("wrong key: %v", err)
	}
}
