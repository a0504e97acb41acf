package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"
)

// clockTick is USER_HZ, the unit of utime and stime in /proc/PID/stat.
const clockTick = 10 * time.Millisecond

// usage is a process's mean cost over a window.
type usage struct {
	cpu float64 // % of one core
	rss int64   // bytes, mean of samples every 0.5 s
}

// measure samples pid's CPU time and VmRSS over d.
func measure(ctx context.Context, pid int, d time.Duration) (usage, error) {
	cpu0, _, err := readProc(pid)
	if err != nil {
		return usage{}, err
	}
	start := time.Now()
	var rssSum, samples int64
	for time.Since(start) < d {
		select {
		case <-ctx.Done():
			return usage{}, ctx.Err()
		case <-time.After(500 * time.Millisecond):
		}
		_, rss, err := readProc(pid)
		if err != nil {
			return usage{}, err
		}
		rssSum += rss
		samples++
	}
	cpu1, _, err := readProc(pid)
	if err != nil {
		return usage{}, err
	}
	return usage{cpu: 100 * float64(cpu1-cpu0) / float64(time.Since(start)), rss: rssSum / max(samples, 1)}, nil
}

// readProc returns pid's utime+stime and VmRSS (proc(5)).
func readProc(pid int) (time.Duration, int64, error) {
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

func httpOK(u string) bool {
	resp, err := http.Get(u) //nolint:gosec,noctx // a loopback URL we built
	if err != nil {
		return false
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// snapshot sums the bytes the server's stream inputs counted (the Control
// API's stats.input_bytes) and counts the streams that are alive with
// both tracks (video and audio) in stats.media_info: the publishers'
// media got through, not only their bytes.
func (s *server) snapshot() (bytes int64, live int) {
	for _, name := range s.names {
		resp, err := http.Get(s.base + "/streamer/api/v3/streams/" + name) //nolint:noctx // loopback
		if err != nil {
			continue
		}
		var st struct {
			Stats struct {
				Alive      bool  `json:"alive"`
				InputBytes int64 `json:"input_bytes"`
				MediaInfo  struct {
					Tracks []json.RawMessage `json:"tracks"`
				} `json:"media_info"`
			} `json:"stats"`
		}
		_ = json.NewDecoder(resp.Body).Decode(&st)
		_ = resp.Body.Close()
		bytes += st.Stats.InputBytes
		if st.Stats.Alive && len(st.Stats.MediaInfo.Tracks) >= 2 {
			live++
		}
	}
	return bytes, live
}
