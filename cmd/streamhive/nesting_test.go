package main

import (
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"streamhive/media/mediatest"
)

// bomb is a config text nested 300,000 blocks deep (1.2 MB). Before the
// parser limited nesting, parsing it overflowed the goroutine stack, which
// is fatal: one unauthenticated POST /config ended the server.
var bomb = strings.Repeat("a{", 300_000)

// TestNestingBombIsRefused: the bomb is a 400 through the API (POST and
// PUT, text or JSON-looking), a rejected SIGHUP reload with the server
// serving on, and a -t failure naming file:line:column; the server's
// memory stays bounded while it parses.
func TestNestingBombIsRefused(t *testing.T) {
	dir := t.TempDir()
	port := freePort(t)
	cfg := writeConfig(t, dir, port, "stream a { input publish://; }\n")
	p := start(t, port, "-config", cfg)
	before := peakRSS(t, p.cmd.Process.Pid)

	for _, method := range []string{"POST", "PUT"} {
		code, body := p.do(method, "/streamer/api/v3/config", "", bomb)
		if code != 400 || !strings.Contains(body, "nested deeper than 16 levels") || !strings.Contains(body, `"code":"invalid_config"`) {
			t.Errorf("%s /config with the bomb: %d %.300s", method, code, body)
		}
	}
	if code, body := p.do("GET", "/streamer/api/v3/streams/a", "", ""); code != 200 {
		t.Fatalf("after the bomb, GET stream: %d %s", code, body)
	}

	if err := os.WriteFile(cfg, []byte(bomb), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	mediatest.WaitFor(t, 20*time.Second, "the rejected reload in the log", func() bool {
		return strings.Contains(p.log.String(), "nested deeper than 16 levels")
	})
	if code, body := p.do("GET", "/streamer/api/v3/streams/a", "", ""); code != 200 {
		t.Fatalf("after the reload, GET stream: %d %s", code, body)
	}
	p.waitReady()
	if grew := peakRSS(t, p.cmd.Process.Pid) - before; grew > 200<<20 {
		t.Errorf("peak RSS grew by %d MiB while parsing the bomb", grew>>20)
	}

	var out, errb strings.Builder
	if code := run([]string{"-t", "-config", cfg}, &out, &errb); code == 0 {
		t.Fatal("-t on the bomb exited 0")
	}
	if want := cfg + ":1:34: blocks nested deeper than 16 levels"; !strings.Contains(errb.String(), want) {
		t.Errorf("-t said %.300q, want %q", errb.String(), want)
	}
}

// peakRSS is the process's peak resident set (VmHWM) in bytes.
func peakRSS(t *testing.T, pid int) int64 {
	t.Helper()
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		t.Fatal(err)
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return kb << 10
		}
	}
	t.Fatal("no VmHWM in /proc/PID/status")
	return 0
}
