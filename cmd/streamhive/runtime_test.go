package main

import (
	"bufio"
	"io"
	"log/slog"
	"strings"
	"testing"
)

func TestMemTotalReadsMeminfo(t *testing.T) {
	in := "MemFree:  100 kB\nMemTotal:       24683748 kB\nBuffers: 1 kB\n"
	if got, want := memTotal(bufio.NewScanner(strings.NewReader(in))), int64(24683748)<<10; got != want {
		t.Errorf("memTotal = %d, want %d", got, want)
	}
	if got := memTotal(bufio.NewScanner(strings.NewReader("garbage\n"))); got != 0 {
		t.Errorf("memTotal of garbage = %d, want 0", got)
	}
}

// TestPprofOnlyOnLoopback: the profiling endpoints show the server's
// internals, so an address beyond the machine is refused.
func TestPprofOnlyOnLoopback(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, addr := range []string{"0.0.0.0:0", ":0", "example.com:6060", "nonsense"} {
		if err := servePprof(addr, log); err == nil {
			t.Errorf("servePprof(%q) accepted a non-loopback address", addr)
		}
	}
	if err := servePprof("127.0.0.1:0", log); err != nil {
		t.Errorf("servePprof(127.0.0.1:0) = %v", err)
	}
}
