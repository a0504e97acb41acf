package server

import (
	"runtime"
	"syscall"
	"time"

	"streamhive/actors/config"
	"streamhive/actors/monitor"
	"streamhive/media/stats"
)

// Monitor returns the server's alerts and input histories.
func (s *Server) Monitor() *monitor.Monitor { return s.monitor }

// cpuMeter measures the process's CPU use between two calls, as a share
// of all cores. Used by the monitor's goroutine only.
type cpuMeter struct {
	at  time.Time
	cpu time.Duration
}

func (c *cpuMeter) use(now time.Time) float64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	wall := now.Sub(c.at)
	use := 0.0
	if !c.at.IsZero() && wall > 0 {
		use = float64(cpu-c.cpu) / float64(wall) / float64(runtime.NumCPU())
	}
	c.at, c.cpu = now, cpu
	return use
}

// sampler returns the monitor's Sample: every stream's stats, the DVR
// disks, the CPU.
func (s *Server) sampler() func() monitor.Sample {
	var cpu cpuMeter
	return func() monitor.Sample {
		now := time.Now()
		dir := s.dir.Load()
		names := dir.Names()
		out := monitor.Sample{
			Time: now, Streams: make(map[string]stats.Stream, len(names)),
			URLs: make(map[string][]string, len(names)), CPU: cpu.use(now),
		}
		for _, name := range names {
			st, ok := dir.Status(name)
			if !ok {
				continue
			}
			out.Streams[name], _ = s.Stats(name)
			urls := make([]string, len(st.Inputs))
			for i, in := range st.Inputs {
				urls[i] = config.RedactURL(in.URL)
			}
			out.URLs[name] = urls
		}
		for _, d := range s.DVRDisks() {
			out.Disks = append(out.Disks, monitor.Disk{Path: d.Path, Usage: d.Usage, State: d.State})
		}
		return out
	}
}
