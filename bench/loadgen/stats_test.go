package main

import (
	"errors"
	"math"
	"os"
	"testing"
	"time"
)

func TestParseStatCPU(t *testing.T) {
	// A command name with spaces and a parenthesis; utime 1234, stime 56.
	stat := "4242 (my (odd) name) S 1 4242 4242 0 -1 4194560 2107 0 0 0 1234 56 0 0 20 0 9 0 100 0 0"
	got, err := parseStatCPU(stat)
	if err != nil || got != 1290*clockTick {
		t.Fatalf("parseStatCPU = %v, %v; want %v", got, err, 1290*clockTick)
	}
	for _, bad := range []string{"", "1 (x) S 1 2", "1 (x) S 1 2 3 4 5 6 7 8 9 10 u s"} {
		if _, err := parseStatCPU(bad); !errors.Is(err, ErrBadProc) {
			t.Errorf("parseStatCPU(%q) err = %v, want ErrBadProc", bad, err)
		}
	}
}

func TestParseStatusRSS(t *testing.T) {
	status := "Name:\tstreamhive\nVmPeak:\t 2000 kB\nVmRSS:\t   81920 kB\nThreads:\t12\n"
	if got, err := parseStatusRSS(status); err != nil || got != 81920*1024 {
		t.Fatalf("parseStatusRSS = %d, %v", got, err)
	}
	for _, bad := range []string{"Name:\tx\n", "VmRSS:\t12 MB\n", "VmRSS:\tx kB\n"} {
		if _, err := parseStatusRSS(bad); !errors.Is(err, ErrBadProc) {
			t.Errorf("parseStatusRSS(%q) err = %v, want ErrBadProc", bad, err)
		}
	}
}

func TestReadProcSelf(t *testing.T) {
	s, err := readProc(os.Getpid())
	if err != nil || s.RSS <= 0 {
		t.Fatalf("readProc(self) = %+v, %v", s, err)
	}
}

func TestUsageOf(t *testing.T) {
	t0 := time.Unix(1000, 0)
	s := []procSample{
		{At: t0, CPU: 10 * time.Second, RSS: 100},
		{At: t0.Add(time.Second), CPU: 10*time.Second + 300*time.Millisecond, RSS: 200},
		{At: t0.Add(2 * time.Second), CPU: 11 * time.Second, RSS: 300},
	}
	u, ok := usageOf(s)
	if !ok || math.Abs(u.CPU-50) > 1e-9 || u.RSS != 200 {
		t.Fatalf("usageOf = %+v, %v; want 50%% CPU, RSS 200", u, ok)
	}
	if _, ok := usageOf(s[:1]); ok {
		t.Error("one sample gave a usage")
	}
	per := usage{CPU: 30, RSS: 1000}.per(usage{CPU: 10, RSS: 200}, 4)
	if per != (usage{CPU: 5, RSS: 200}) {
		t.Errorf("per = %+v", per)
	}
	if (usage{CPU: 1}).per(usage{}, 0) != (usage{}) {
		t.Error("per 0 units is not zero")
	}
}

func TestPercentile(t *testing.T) {
	ds := []time.Duration{5, 1, 4, 2, 3}
	for _, tt := range []struct {
		p    float64
		want time.Duration
	}{{50, 3}, {100, 5}, {1, 1}, {80, 4}, {81, 5}} {
		if got := percentile(ds, tt.p); got != tt.want {
			t.Errorf("percentile(%v) = %v, want %v", tt.p, got, tt.want)
		}
	}
	if percentile(nil, 50) != 0 {
		t.Error("percentile of nothing is not 0")
	}
	if ds[0] != 5 {
		t.Error("percentile sorted its input")
	}
}

func TestParseCounts(t *testing.T) {
	got, err := parseCounts("1, 10,50")
	if err != nil || len(got) != 3 || got[0] != 1 || got[1] != 10 || got[2] != 50 {
		t.Fatalf("parseCounts = %v, %v", got, err)
	}
	for _, bad := range []string{"", "0", "1,,2", "x"} {
		if _, err := parseCounts(bad); err == nil {
			t.Errorf("parseCounts(%q) accepted", bad)
		}
	}
}
