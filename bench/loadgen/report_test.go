package main

import (
	"math"
	"strings"
	"testing"
	"time"
)

func TestResultShares(t *testing.T) {
	r := result{
		Streams: 10, Viewers: 2, Measured: true,
		Idle:     usage{CPU: 1, RSS: 60 * mib},
		Pub:      usage{CPU: 21, RSS: 260 * mib},
		PubAfter: usage{CPU: 19, RSS: 300 * mib},
		All:      usage{CPU: 24, RSS: 280 * mib},
	}
	// Streams: CPU (21+19)/2 = 20 over idle 1 → 1.9 each; RSS from the first window.
	if got := r.perStream(); math.Abs(got.CPU-1.9) > 1e-9 || got.RSS != 20*mib {
		t.Errorf("perStream = %+v", got)
	}
	// Viewers: (24-20)/20 = 0.2 CPU, (280-260)/20 = 1 MiB each.
	if got := r.perViewer(); math.Abs(got.CPU-0.2) > 1e-9 || got.RSS != mib {
		t.Errorf("perViewer = %+v", got)
	}
}

func TestWriteTable(t *testing.T) {
	rs := []result{
		{
			Target: "streamhive", Streams: 1, Viewers: 2, Measured: true, Ready: []time.Duration{2 * time.Second},
			Pub: usage{CPU: 3, RSS: 90 * mib}, PubAfter: usage{CPU: 3}, All: usage{CPU: 4, RSS: 92 * mib},
			Counts: counts{segments: 29, segErrors: 1, bytes: 30e6}, Window: 30 * time.Second,
		},
		{Target: "external", Streams: 1, Viewers: 2, NotReady: 1, PubErrors: 1},
	}
	var b strings.Builder
	writeTable(&b, rs)
	out := b.String()
	for _, want := range []string{
		"| streamhive | 1 | 2 | 2.00 s / 2.00 s | 0.0 / 3.0 / 4.0 / 3.0 | 3.00 | 0.500 |",
		"| 1.0 | 8 |", "1 segment errors",
		"| external | 1 | 2 | – / – | n/a |", "1 never playable, 1 publishers failed",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	var rb strings.Builder
	peer := rs[0]
	peer.Target, peer.Pub.CPU, peer.PubAfter.CPU = "mediamtx", 6, 6
	writeRatios(&rb, rs[:1], []result{peer})
	if !strings.Contains(rb.String(), "| 1 | 2.00× |") {
		t.Errorf("ratios:\n%s", rb.String())
	}
}
