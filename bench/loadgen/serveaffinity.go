package main

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"syscall"
	"unsafe"
)

// pinSelfAway moves every thread of this program onto the CPUs other than
// serverCPU, so that the load never competes with the server for its core
// (threads started later inherit the mask of the thread that starts them).
// GOMAXPROCS follows.
func pinSelfAway(serverCPU int) error {
	n := runtime.NumCPU()
	if serverCPU < 0 || serverCPU >= n || n < 2 {
		return fmt.Errorf("loadgen: -serve-cpu %d: need another of the %d CPUs for the load", serverCPU, n)
	}
	var mask [16]uint64 // 1024 CPUs, the kernel's default cpu_set_t
	for c := range min(n, 1024) {
		if c != serverCPU {
			mask[c/64] |= 1 << (c % 64)
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
		_, _, errno := syscall.RawSyscall(syscall.SYS_SCHED_SETAFFINITY, uintptr(tid), unsafe.Sizeof(mask), uintptr(unsafe.Pointer(&mask)))
		if errno != 0 && errno != syscall.ESRCH { // ESRCH: the thread has exited
			return fmt.Errorf("loadgen: sched_setaffinity %d: %w", tid, errno)
		}
	}
	runtime.GOMAXPROCS(n - 1)
	return nil
}
