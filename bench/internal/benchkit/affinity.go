package benchkit

import (
	"fmt"
	"os"
	"runtime"
	"strconv"

	"golang.org/x/sys/unix"
)

// PinSelfAway moves every thread of this program onto the CPUs other than
// serverCPU (threads started later inherit the mask), so a load generator
// never competes with the server it measures for the server's core.
// GOMAXPROCS follows.
func PinSelfAway(serverCPU int) error {
	n := runtime.NumCPU()
	if serverCPU < 0 || serverCPU >= n || n < 2 {
		return fmt.Errorf("-serve-cpu %d: need another of the %d CPUs for the load", serverCPU, n)
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
		if err := unix.SchedSetaffinity(tid, &set); err != nil && err != unix.ESRCH { // ESRCH: the thread has exited
			return fmt.Errorf("sched_setaffinity %d: %w", tid, err)
		}
	}
	runtime.GOMAXPROCS(n - 1)
	return nil
}
