package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckRefusesUnbuiltProtection: `streamhive -t` on a config that
// protects a stream with what is not built yet fails, naming the file
// position of each use, instead of passing a config that would run open.
func TestCheckRefusesUnbuiltProtection(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "streamhive.conf")
	text := "http 127.0.0.1:0;\nstream a {\n  input publish://;\n  on_publish http://127.0.0.1:1/auth max_sessions=2;\n  password secret;\n}\n"
	if err := os.WriteFile(cfg, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb strings.Builder
	if code := run([]string{"-t", "-config", cfg}, &out, &errb); code == 0 {
		t.Fatalf("-t exited 0: %s", out.String())
	}
	for _, want := range []string{
		cfg + ":4:38: on_publish max_sessions is not supported yet; refusing to run unprotected what the config protects",
	} {
		if !strings.Contains(errb.String(), want) {
			t.Errorf("-t said %q, want a line %q", errb.String(), want)
		}
	}
	if strings.Contains(errb.String(), "secret") || strings.Contains(errb.String(), "password") {
		t.Errorf("-t refused the publish password, which is built: %q", errb.String())
	}
}
