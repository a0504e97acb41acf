package main

import (
	"sync/atomic"
	"testing"

	"streamhive/actors/config"
	"streamhive/actors/server"
)

// TestM4FKeys: a pull from a `source` line's host proves that line's
// cluster_key; any other host, the global one.
func TestM4FKeys(t *testing.T) {
	cfg := &config.Server{ClusterKey: "global", Sources: []config.Source{
		{URL: "origin:8080", ClusterKey: "originkey"}, {URL: "plain:80"},
	}}
	keyOf := m4fKeys(new(atomic.Pointer[server.Server]), cfg)
	for host, want := range map[string]string{"origin:8080": "originkey", "plain:80": "global", "peer:81": "global"} {
		if got := keyOf(host); got != want {
			t.Errorf("key for %s = %q, want %q", host, got, want)
		}
	}
}
