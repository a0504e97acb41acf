package metrics

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"strconv"
	"sync"
	"time"
)

// Host is what the machine reports of itself, read from /proc (Linux);
// zero values elsewhere. CPU and network rates are measured between two
// samples, so the first sample after start reports the averages since
// boot.
type Host struct {
	CPUUsage    int // percent of all cores busy (server_stats cpu_usage)
	MemoryUsage int // percent of memory in use, page cache excluded (memory_usage)
	OpenedFiles int // this process's open file descriptors (opened_files)
	// InKbit, OutKbit: what the network interfaces (loopback excluded)
	// received and sent, in kbit/s.
	InKbit, OutKbit int64
	Net             []NetDev // per interface, loopback included
}

// NetDev is one network interface's byte counters since boot.
type NetDev struct {
	Name     string
	Rx, Tx   uint64 // bytes
	loopback bool
}

// maxProcFile bounds what is read of one /proc file, and maxNetDevs the
// interfaces kept: a host with more is reported by its first ones.
const (
	maxProcFile = 1 << 20
	maxNetDevs  = 64
	// minInterval: samples closer than this reuse the last rates, so
	// two scrapes a few milliseconds apart do not measure noise.
	minInterval = time.Second
)

// hostSampler keeps the previous sample to measure rates against.
type hostSampler struct {
	mu     sync.Mutex
	at     time.Time
	cpu    cpuTimes
	rx, tx uint64
	last   Host
}

var sampler hostSampler

// SampleHost reads the host's state now. Safe for concurrent use.
func SampleHost() Host { return sampler.sample(time.Now()) }

func (s *hostSampler) sample(now time.Time) Host {
	s.mu.Lock()
	defer s.mu.Unlock()
	h := Host{OpenedFiles: openFiles()}
	h.MemoryUsage = parseMeminfo(readProc("/proc/meminfo"))
	h.Net = parseNetDev(readProc("/proc/net/dev"))
	if !s.at.IsZero() && now.Sub(s.at) < minInterval {
		h.CPUUsage, h.InKbit, h.OutKbit = s.last.CPUUsage, s.last.InKbit, s.last.OutKbit
		return h
	}
	cpu := parseStat(readProc("/proc/stat"))
	h.CPUUsage = cpu.usageSince(s.cpu)
	var rx, tx uint64
	for _, d := range h.Net {
		if !d.loopback {
			rx, tx = rx+d.Rx, tx+d.Tx
		}
	}
	if secs := now.Sub(s.at).Seconds(); !s.at.IsZero() && secs > 0 && rx >= s.rx && tx >= s.tx {
		h.InKbit = int64(float64(rx-s.rx) * 8 / 1000 / secs)
		h.OutKbit = int64(float64(tx-s.tx) * 8 / 1000 / secs)
	}
	s.at, s.cpu, s.rx, s.tx, s.last = now, cpu, rx, tx, h
	return h
}

func readProc(path string) []byte {
	f, err := os.Open(path)
	if err != nil {
		return nil // not Linux, or no /proc: the fields stay zero
	}
	defer func() { _ = f.Close() }()
	b, _ := io.ReadAll(io.LimitReader(f, maxProcFile))
	return b
}

func openFiles() int {
	d, err := os.Open("/proc/self/fd")
	if err != nil {
		return 0
	}
	defer func() { _ = d.Close() }()
	names, _ := d.Readdirnames(-1)
	return len(names)
}

// cpuTimes are /proc/stat's first line, in clock ticks since boot.
type cpuTimes struct{ busy, total uint64 }

// usageSince is the percent of time busy between prev and c.
func (c cpuTimes) usageSince(prev cpuTimes) int {
	if c.total <= prev.total || c.busy < prev.busy {
		return 0
	}
	return int((c.busy - prev.busy) * 100 / (c.total - prev.total))
}

// parseStat reads the "cpu" line of /proc/stat: user nice system idle
// iowait irq softirq steal ...; idle and iowait are not busy.
func parseStat(b []byte) cpuTimes {
	line, _, _ := bytes.Cut(b, []byte{'\n'})
	f := bytes.Fields(line)
	if len(f) < 5 || string(f[0]) != "cpu" {
		return cpuTimes{}
	}
	var c cpuTimes
	for i, v := range f[1:min(len(f), 11)] {
		n, _ := strconv.ParseUint(string(v), 10, 64)
		c.total += n
		if i != 3 && i != 4 {
			c.busy += n
		}
	}
	return c
}

// parseMeminfo is (MemTotal - MemAvailable) / MemTotal in percent.
func parseMeminfo(b []byte) int {
	var total, avail uint64
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		f := bytes.Fields(sc.Bytes())
		if len(f) < 2 {
			continue
		}
		n, _ := strconv.ParseUint(string(f[1]), 10, 64)
		switch string(f[0]) {
		case "MemTotal:":
			total = n
		case "MemAvailable:":
			avail = n
		}
	}
	if total == 0 || avail > total {
		return 0
	}
	return int((total - avail) * 100 / total)
}

// parseNetDev reads /proc/net/dev: two header lines, then
// "iface: rx_bytes rx_packets ... (8 receive fields) tx_bytes ...".
func parseNetDev(b []byte) []NetDev {
	var out []NetDev
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() && len(out) < maxNetDevs {
		name, rest, ok := bytes.Cut(sc.Bytes(), []byte{':'})
		if !ok {
			continue
		}
		f := bytes.Fields(rest)
		if len(f) < 9 {
			continue
		}
		rx, err1 := strconv.ParseUint(string(f[0]), 10, 64)
		tx, err2 := strconv.ParseUint(string(f[8]), 10, 64)
		if err1 != nil || err2 != nil {
			continue
		}
		n := string(bytes.TrimSpace(name))
		out = append(out, NetDev{Name: n, Rx: rx, Tx: tx, loopback: n == "lo"})
	}
	return out
}
