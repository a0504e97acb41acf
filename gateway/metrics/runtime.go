package metrics

import (
	"bytes"
	"math"
	"os"
	"runtime/metrics"
	"strconv"
	"syscall"
	"time"
)

// goSamples are the Go runtime's metrics this page shows, read with one
// runtime/metrics.Read per scrape.
var goSamples = []struct {
	key, name, typ, help string
}{
	{"/sched/goroutines:goroutines", "go_goroutines", Gauge, "Goroutines that currently exist."},
	{"/sched/gomaxprocs:threads", "go_gomaxprocs", Gauge, "GOMAXPROCS: OS threads that may run Go code at once."},
	{"/gc/cycles/total:gc-cycles", "go_gc_cycles_total", Counter, "Completed garbage collection cycles."},
	{"/cpu/classes/gc/total:cpu-seconds", "go_gc_cpu_seconds_total", Counter, "CPU time spent in the garbage collector (estimate)."},
	{"/gc/heap/goal:bytes", "go_gc_heap_goal_bytes", Gauge, "Heap size the garbage collector aims for at the end of this cycle."},
	{"/memory/classes/heap/objects:bytes", "go_memory_heap_objects_bytes", Gauge, "Memory held by live and not yet swept heap objects."},
	{"/memory/classes/total:bytes", "go_memory_total_bytes", Gauge, "All memory the Go runtime mapped from the OS."},
	{
		"/sched/latencies:seconds", "go_sched_latencies_seconds", Histogram,
		"Time goroutines spent runnable before running (the scheduler's queueing delay); _sum is estimated from the buckets.",
	},
	{
		"/sched/pauses/total/gc:seconds", "go_gc_pauses_seconds", Histogram,
		"Stop-the-world pauses of the garbage collector; _sum is estimated from the buckets.",
	},
}

// latencyBounds are the buckets the runtime's fine histograms are folded
// into: a fixed, small set of series whatever the runtime measures.
var latencyBounds = []float64{1e-6, 1e-5, 1e-4, 1e-3, 0.01, 0.1, 1, 10}

func writeGo(t *Text) {
	s := make([]metrics.Sample, len(goSamples))
	for i := range goSamples {
		s[i].Name = goSamples[i].key
	}
	metrics.Read(s)
	for i, g := range goSamples {
		switch s[i].Value.Kind() {
		case metrics.KindUint64:
			t.Family(g.name, g.typ, g.help)
			t.Int(g.name, "", int64(s[i].Value.Uint64()))
		case metrics.KindFloat64:
			t.Family(g.name, g.typ, g.help)
			t.Float(g.name, "", s[i].Value.Float64())
		case metrics.KindFloat64Histogram:
			t.Family(g.name, g.typ, g.help)
			writeHistogram(t, g.name, s[i].Value.Float64Histogram())
		case metrics.KindBad: // not in this Go release: left out
		}
	}
}

// writeHistogram folds a runtime histogram (Counts[i] in
// [Buckets[i], Buckets[i+1])) into latencyBounds: each bucket counts what
// lies wholly below its bound.
func writeHistogram(t *Text, name string, h *metrics.Float64Histogram) {
	var cum, total uint64
	var sum float64
	b := 0
	for i, n := range h.Counts {
		lo, hi := h.Buckets[i], h.Buckets[i+1]
		for b < len(latencyBounds) && hi > latencyBounds[b] {
			t.Int(name+"_bucket", Labels("le", strconv.FormatFloat(latencyBounds[b], 'g', -1, 64)), int64(cum))
			b++
		}
		cum += n
		total += n
		sum += float64(n) * midpoint(lo, hi)
	}
	for ; b < len(latencyBounds); b++ {
		t.Int(name+"_bucket", Labels("le", strconv.FormatFloat(latencyBounds[b], 'g', -1, 64)), int64(cum))
	}
	t.Int(name+"_bucket", `le="+Inf"`, int64(total))
	t.Float(name+"_sum", "", sum)
	t.Int(name+"_count", "", int64(total))
}

func midpoint(lo, hi float64) float64 {
	switch {
	case math.IsInf(lo, -1):
		return hi
	case math.IsInf(hi, 1):
		return lo
	}
	return (lo + hi) / 2
}

// writeProcess writes the process_* families Prometheus's clients
// share, from getrusage, getrlimit and /proc/self/statm.
func writeProcess(t *Text, started time.Time, h Host) {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
		t.Family("process_cpu_seconds_total", Counter, "User and system CPU time the process spent.")
		t.Float("process_cpu_seconds_total", "", cpu.Seconds())
	}
	if rss, vsz, ok := statm(); ok {
		t.Family("process_resident_memory_bytes", Gauge, "Resident memory of the process.")
		t.Int("process_resident_memory_bytes", "", rss)
		t.Family("process_virtual_memory_bytes", Gauge, "Virtual memory of the process.")
		t.Int("process_virtual_memory_bytes", "", vsz)
	}
	t.Family("process_open_fds", Gauge, "Open file descriptors of the process.")
	t.Int("process_open_fds", "", int64(h.OpenedFiles))
	var lim syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim) == nil && lim.Cur <= math.MaxInt64 {
		t.Family("process_max_fds", Gauge, "Limit on the process's open file descriptors.")
		t.Int("process_max_fds", "", int64(lim.Cur))
	}
	t.Family("process_start_time_seconds", Gauge, "When the server started, in seconds since the Unix epoch.")
	t.Int("process_start_time_seconds", "", started.Unix())
}

// statm reads /proc/self/statm: size and resident, in pages.
func statm() (rss, vsz int64, ok bool) {
	f := bytes.Fields(readProc("/proc/self/statm"))
	if len(f) < 2 {
		return 0, 0, false
	}
	size, err1 := strconv.ParseInt(string(f[0]), 10, 64)
	res, err2 := strconv.ParseInt(string(f[1]), 10, 64)
	if err1 != nil || err2 != nil {
		return 0, 0, false
	}
	page := int64(os.Getpagesize())
	return res * page, size * page, true
}
