package main

import (
	"net/http"
	"testing"
)

func TestAuthBackendAllowsAndCounts(t *testing.T) {
	b, err := startAuthBackend()
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	for range 2 {
		resp, err := http.Get(b.URL + "?name=s1&proto=hls&token=viewer-1&request_type=new_session")
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		if resp.StatusCode != 200 || resp.Header.Get("X-AuthDuration") != "3600" {
			t.Fatalf("answer %d, X-AuthDuration %q", resp.StatusCode, resp.Header.Get("X-AuthDuration"))
		}
	}
	if n := b.asks.Load(); n != 2 {
		t.Errorf("%d asks counted, want 2", n)
	}
}
