package main

import (
	"fmt"
	"net"
	"path/filepath"
	"strings"
	"testing"

	"streamhive/actors/certs/certstest"
)

// TestStartFailsForHTTPListeners: an http port in use, an https listener
// without a certificate, and one whose port is in use each stop the start
// (exit 1) with an error naming the listener, before anything runs.
func TestStartFailsForHTTPListeners(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = taken.Close() }()
	port := freePort(t)
	for _, tt := range []struct {
		name, conf string
		certs      bool
		want       string
	}{
		{"http port taken", fmt.Sprintf("http %s;\n", taken.Addr()), false, "http listener " + taken.Addr().String()},
		{
			"https without certificate", fmt.Sprintf("https 127.0.0.1:%d;\n", port), false,
			fmt.Sprintf("https listener 127.0.0.1:%d: no certificate", port),
		},
		{"https port taken", fmt.Sprintf("https %s;\n", taken.Addr()), true, "https listener " + taken.Addr().String()},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "streamhive.conf")
			certstest.WriteFile(t, path, []byte(tt.conf+"stream a { input publish://; }\n"))
			if tt.certs {
				certstest.New(t).Leaf(t, 1).Write(t, dir, "streamer", true)
			}
			var out, errb strings.Builder
			if code := run([]string{"-config", path}, &out, &errb); code != 1 {
				t.Fatalf("exit %d, want 1; log:\n%s", code, errb.String())
			}
			if !strings.Contains(errb.String(), tt.want) {
				t.Errorf("log lacks %q:\n%s", tt.want, errb.String())
			}
		})
	}
}
