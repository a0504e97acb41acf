package main

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// clockTick is USER_HZ, the unit of utime and stime in /proc/PID/stat: a
// constant 100 in Linux's user ABI on every architecture we run on.
const clockTick = 10 * time.Millisecond

// ErrBadProc marks a /proc file that does not read as proc(5) says.
var ErrBadProc = errors.New("loadgen: unexpected /proc format")

// procSample is one reading of a process's CPU time and resident memory.
type procSample struct {
	At  time.Time
	CPU time.Duration // utime + stime, all threads
	RSS int64         // bytes, VmRSS
}

// readProc samples process pid.
func readProc(pid int) (procSample, error) {
	at := time.Now()
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return procSample{}, err
	}
	cpu, err := parseStatCPU(string(stat))
	if err != nil {
		return procSample{}, err
	}
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return procSample{}, err
	}
	rss, err := parseStatusRSS(string(status))
	if err != nil {
		return procSample{}, err
	}
	return procSample{At: at, CPU: cpu, RSS: rss}, nil
}

// parseStatCPU returns utime + stime (fields 14 and 15 of proc(5)) from the
// text of /proc/PID/stat. The command name (field 2) may hold spaces and
// parentheses, so fields are counted from its last closing parenthesis.
func parseStatCPU(stat string) (time.Duration, error) {
	i := strings.LastIndexByte(stat, ')')
	if i < 0 {
		return 0, fmt.Errorf("%w: stat has no command name", ErrBadProc)
	}
	f := strings.Fields(stat[i+1:]) // f[0] is field 3 (state)
	if len(f) < 13 {
		return 0, fmt.Errorf("%w: stat has %d fields", ErrBadProc, len(f)+2)
	}
	utime, err1 := strconv.ParseUint(f[11], 10, 64)
	stime, err2 := strconv.ParseUint(f[12], 10, 64)
	if err := errors.Join(err1, err2); err != nil {
		return 0, fmt.Errorf("%w: %w", ErrBadProc, err)
	}
	return time.Duration(utime+stime) * clockTick, nil
}

// parseStatusRSS returns VmRSS in bytes from the text of /proc/PID/status.
func parseStatusRSS(status string) (int64, error) {
	for line := range strings.Lines(status) {
		rest, ok := strings.CutPrefix(line, "VmRSS:")
		if !ok {
			continue
		}
		f := strings.Fields(rest)
		if len(f) != 2 || f[1] != "kB" {
			return 0, fmt.Errorf("%w: VmRSS line %q", ErrBadProc, strings.TrimSpace(line))
		}
		kb, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil {
			return 0, fmt.Errorf("%w: %w", ErrBadProc, err)
		}
		return kb * 1024, nil
	}
	return 0, fmt.Errorf("%w: no VmRSS", ErrBadProc)
}
