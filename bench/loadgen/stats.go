package main

import (
	"slices"
	"time"
)

// usage is a process's cost over a window.
type usage struct {
	CPU float64 // percent of one core
	RSS float64 // bytes, mean of the samples
}

// usageOf reduces the samples of one window: CPU from the first and last
// sample, RSS as the mean of all of them (a Go heap breathes with its GC, so
// one reading would be luck). It needs at least two samples.
func usageOf(s []procSample) (usage, bool) {
	if len(s) < 2 {
		return usage{}, false
	}
	first, last := s[0], s[len(s)-1]
	wall := last.At.Sub(first.At)
	if wall <= 0 {
		return usage{}, false
	}
	var rss float64
	for _, x := range s {
		rss += float64(x.RSS)
	}
	return usage{
		CPU: 100 * float64(last.CPU-first.CPU) / float64(wall),
		RSS: rss / float64(len(s)),
	}, true
}

// per returns (u - base) / n, the share of each of n units of load.
func (u usage) per(base usage, n int) usage {
	if n <= 0 {
		return usage{}
	}
	return usage{CPU: (u.CPU - base.CPU) / float64(n), RSS: (u.RSS - base.RSS) / float64(n)}
}

// percentile returns the nearest-rank p-th percentile (0 < p ≤ 100) of ds,
// or 0 for none.
func percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	rank := int(p/100*float64(len(s)) + 0.999999999)
	return s[min(max(rank, 1), len(s))-1]
}

// ratio is a / b, or 0 when b is not positive (no meaningful ratio).
func ratio(a, b float64) float64 {
	if b <= 0 {
		return 0
	}
	return a / b
}
