package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"time"
)

// memoryShare is the part of the machine's (or the cgroup's) memory the Go
// heap may grow to before the collector works harder to stay under it: a
// soft limit, so a burst past it slows the server rather than kill it.
const memoryShare = 0.8

// gcPercent is the collector's target (GOGC) unless the environment sets
// one: the heap grows this much past what the last collection found live
// before the next one, and a Go process's RSS follows that high-water
// mark, not the live heap. A media server's live heap is mostly segment
// bytes, which hold no pointers and cost a collection almost nothing to
// mark, so a tight target buys memory for little CPU: at 50 RTMP streams
// RSS per stream was 12.6 MiB at GOGC 50 and 9.4 at 10 (bench/RESULTS.md
// has the CPU beside it). Collections then come about once a second
// whatever the stream count, as the live heap and the allocation rate
// both grow with it.
const gcPercent = 10

// runtimeFlags are the process-level knobs: profiling and the heap limit.
type runtimeFlags struct {
	pprof string // loopback address of the profiling endpoints; empty: none
}

func (r *runtimeFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&r.pprof, "pprof", "", "serve Go's profiling endpoints (/debug/pprof/) on this loopback `addr` (e.g. 127.0.0.1:6060)")
}

// setGCPercent sets the collector's target to gcPercent unless GOGC names
// one.
func setGCPercent() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
}

// setMemoryLimit sets the Go heap's soft limit to memoryShare of the
// memory this process may use (the cgroup's limit, else the machine's),
// unless GOMEMLIMIT names one. It returns the limit set, 0 for none.
func setMemoryLimit(log *slog.Logger) int64 {
	if os.Getenv("GOMEMLIMIT") != "" {
		return 0
	}
	total := machineMemory()
	if total <= 0 {
		return 0
	}
	limit := int64(float64(total) * memoryShare)
	debug.SetMemoryLimit(limit)
	log.Debug("heap limit", "bytes", limit)
	return limit
}

// machineMemory returns the cgroup v2 memory limit if there is one, else
// MemTotal from /proc/meminfo, else 0.
func machineMemory() int64 {
	var total int64
	if f, err := os.Open("/proc/meminfo"); err == nil {
		total = memTotal(bufio.NewScanner(f))
		_ = f.Close()
	}
	if b, err := os.ReadFile("/sys/fs/cgroup/memory.max"); err == nil {
		if n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64); err == nil && n > 0 && (total == 0 || n < total) {
			total = n // "max" (no limit) does not parse
		}
	}
	return total
}

// memTotal reads MemTotal (kB) from /proc/meminfo's lines, in bytes.
func memTotal(sc *bufio.Scanner) int64 {
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) >= 2 && f[0] == "MemTotal:" {
			kb, err := strconv.ParseInt(f[1], 10, 64)
			if err == nil {
				return kb << 10
			}
		}
	}
	return 0
}

// servePprof serves /debug/pprof/ on addr, which must be a loopback
// address: profiles show the server's internals and cost CPU, so they are
// never offered beyond the machine.
func servePprof(addr string, log *slog.Logger) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("-pprof: %w", err)
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return errors.New("-pprof: want a loopback address such as 127.0.0.1:6060")
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("-pprof: %w", err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	log.Info("profiling", "url", "http://"+ln.Addr().String()+"/debug/pprof/")
	return nil
}
