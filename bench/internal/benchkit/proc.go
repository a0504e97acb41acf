// Package benchkit holds what the load generators under bench/ share: a
// server process's CPU and memory read from /proc, free loopback ports,
// readiness polling, and the one pre-encoded sample they publish.
package benchkit

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"
)

// clockTick is USER_HZ, the unit of utime and stime in /proc/PID/stat.
const clockTick = 10 * time.Millisecond

// Usage is a process's mean cost over a window.
type Usage struct {
	CPU float64 // % of one core
	RSS int64   // bytes, mean of samples every 0.5 s
}

// Measure samples pid's CPU time and VmRSS over d.
func Measure(ctx context.Context, pid int, d time.Duration) (Usage, error) {
	cpu0, _, err := ReadProc(pid)
	if err != nil {
		return Usage{}, err
	}
	start := time.Now()
	var rssSum, samples int64
	for time.Since(start) < d {
		select {
		case <-ctx.Done():
			return Usage{}, ctx.Err()
		case <-time.After(500 * time.Millisecond):
		}
		_, rss, err := ReadProc(pid)
		if err != nil {
			return Usage{}, err
		}
		rssSum += rss
		samples++
	}
	cpu1, _, err := ReadProc(pid)
	if err != nil {
		return Usage{}, err
	}
	return Usage{CPU: 100 * float64(cpu1-cpu0) / float64(time.Since(start)), RSS: rssSum / max(samples, 1)}, nil
}

// ReadProc returns pid's utime+stime and VmRSS (proc(5)).
func ReadProc(pid int) (time.Duration, int64, error) {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, 0, err
	}
	i := strings.LastIndexByte(string(stat), ')') // the command name may hold spaces
	f := strings.Fields(string(stat[i+1:]))       // f[0] is field 3
	if i < 0 || len(f) < 13 {
		return 0, 0, errors.New("unexpected /proc/PID/stat")
	}
	ut, err1 := strconv.ParseInt(f[11], 10, 64)
	st, err2 := strconv.ParseInt(f[12], 10, 64)
	if err := errors.Join(err1, err2); err != nil {
		return 0, 0, err
	}
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0, err
	}
	for line := range strings.Lines(string(status)) {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return time.Duration(ut+st) * clockTick, kb * 1024, err
		}
	}
	return 0, 0, errors.New("no VmRSS in /proc/PID/status")
}

// HTTPOK reports whether GET u answers 200.
func HTTPOK(u string) bool {
	resp, err := http.Get(u) //nolint:gosec,noctx // a loopback URL we built
	if err != nil {
		return false
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// FreePort returns a loopback port ("tcp" or "udp") that was free a
// moment ago.
func FreePort(network string) (int, error) {
	if network == "udp" {
		pc, err := net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			return 0, err
		}
		defer func() { _ = pc.Close() }()
		return pc.LocalAddr().(*net.UDPAddr).Port, nil
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer func() { _ = l.Close() }()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// LoadAvg1 is the 1-minute load average, "?" when unreadable.
func LoadAvg1() string {
	f := strings.Fields(LoadAvg())
	if len(f) == 0 {
		return "?"
	}
	return f[0]
}

// LoadAvg is /proc/loadavg's 1, 5 and 15-minute load averages.
func LoadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

// ReadIO returns pid's rchar and wchar from /proc/PID/io (proc(5)): the
// bytes its read and write system calls moved, sockets included.
func ReadIO(pid int) (rchar, wchar uint64, err error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/io", pid))
	if err != nil {
		return 0, 0, err
	}
	var found int
	for line := range strings.Lines(string(b)) {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		n, perr := strconv.ParseUint(strings.TrimSpace(v), 10, 64)
		switch {
		case k == "rchar" && perr == nil:
			rchar, found = n, found+1
		case k == "wchar" && perr == nil:
			wchar, found = n, found+1
		}
	}
	if found != 2 {
		return 0, 0, errors.New("no rchar and wchar in /proc/PID/io")
	}
	return rchar, wchar, nil
}
