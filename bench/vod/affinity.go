package main

import (
	"fmt"
	"os"
	"runtime"
	"strconv"

	"golang.org/x/sys/unix"
)

// pinSelfAway moves every thread of this program off serverCPU (threads
// started later inherit the mask), so the load never competes with the
// server for its core, as bench/loadgen -serve does.
func pinSelfAway(serverCPU int) error {
	n := runtime.NumCPU()
	if serverCPU < 0 || serverCPU >= n || n < 2 {
		return fmt.Errorf("vod: -serve-cpu %d: need another of the %d CPUs for the load", serverCPU, n)
	}
	var set unix.CPUSet
	for c := range n {
		if c != serverCPU {
			set.Set(c)
		}
	}
	tasks, err := os.ReadDir("/proc/self/task")
	if err != nil {
		return err
	}
	for _, task := range tasks {
		tid, err := strconv.Atoi(task.Name())
		if err != nil {
			continue
		}
		if err := unix.SchedSetaffinity(tid, &set); err != nil && err != unix.ESRCH {
			return fmt.Errorf("vod: sched_setaffinity %d: %w", tid, err)
		}
	}
	runtime.GOMAXPROCS(n - 1)
	return nil
}
