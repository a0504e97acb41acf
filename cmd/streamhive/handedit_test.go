package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"streamhive/media/mediatest"
)

// TestAPIWriteKeepsRejectedEdit: an operator edits the config file, the
// reload (SIGHUP) refuses it, then an API write comes: the write succeeds,
// the operator's text is kept beside the file byte for byte, and the log
// names both files.
func TestAPIWriteKeepsRejectedEdit(t *testing.T) {
	port := freePort(t)
	dir := t.TempDir()
	cfg := writeConfig(t, dir, port, authConfig+"stream a { input publish://; }\n")
	p := start(t, port, "-config", cfg)

	edit := []byte(strings.Replace(string(mustRead(t, cfg)), "stream a", "# half done\nstrem a", 1))
	if err := os.WriteFile(cfg, edit, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	mediatest.WaitFor(t, 10*time.Second, "reload rejection in the log", func() bool { return strings.Contains(p.log.String(), "reload rejected") })

	if code, body := p.do("PUT", "/streamer/api/v3/streams/b", editAuth, `{"inputs":[{"url":"publish://"}]}`); code != 200 {
		t.Fatalf("PUT b: %d %s", code, body)
	}
	kept, _ := filepath.Glob(cfg + ".rejected-*")
	if len(kept) != 1 {
		t.Fatalf("kept copies %v, want one", kept)
	}
	if got := mustRead(t, kept[0]); string(got) != string(edit) {
		t.Errorf("%s holds %q, want the operator's text", kept[0], got)
	}
	if now := string(mustRead(t, cfg)); !strings.Contains(now, "stream b") || !strings.Contains(now, "stream a") {
		t.Errorf("the file is not the running configuration with b:\n%s", now)
	}
	log := p.log.String()
	if !strings.Contains(log, "edited by hand") || !strings.Contains(log, filepath.Base(kept[0])) {
		t.Errorf("the log does not name the kept copy:\n%s", log)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
