package api

import (
	"maps"
	"os"
	"runtime/debug"
	"sync"
	"time"

	"streamhive/actors/config"
	"streamhive/gateway/metrics"
)

// serverStats is the part of server_stats that StreamHive knows.
type serverStats struct {
	ID             string `json:"id"`
	ServerVersion  string `json:"server_version,omitempty"`
	Hostname       string `json:"hostname,omitempty"`
	StreamerStatus string `json:"streamer_status"` // starting, running
	Now            int64  `json:"now"`             // utc_ms
	StartedAt      int64  `json:"started_at"`      // utc (seconds)
	Uptime         int64  `json:"uptime"`          // seconds
	TotalStreams   int    `json:"total_streams"`
	OnlineStreams  int    `json:"online_streams"`
	TotalClients   int    `json:"total_clients"`
	InputKbit      int64  `json:"input_kbit"`
	OutputKbit     int64  `json:"output_kbit"` // what the network interfaces send
	InputsBytes    int64  `json:"inputs_bytes"`
	CPUUsage       int    `json:"cpu_usage"`    // percent, the host's
	MemoryUsage    int    `json:"memory_usage"` // percent, the host's
	OpenedFiles    int    `json:"opened_files"`
	// Partitions are the filesystems the DVR records on.
	Partitions []partition `json:"partitions,omitempty"`
	// TextAlerts lists what the configuration says that the server does
	// not act on, one entry per line: the key is where (file:line:col or
	// the JSON pointer), the value what and why.
	TextAlerts map[string]string `json:"text_alerts,omitempty"`
}

// partition is partition_stats.
type partition struct {
	Path    string `json:"path"`
	TotalMB int64  `json:"total_mb"`
	Usage   int    `json:"usage"` // percent
}

// whoami is server_stats_whoami, the probes' answer.
type whoami struct {
	ServerVersion string `json:"server_version,omitempty"`
	Now           int64  `json:"now"`
	StartedAt     int64  `json:"started_at"`
}

// serverStats reads every configured stream's stats: O(streams), fine for
// an endpoint that monitoring polls every few seconds.
func (a *API) serverStats(s *snapshot) *serverStats {
	now := time.Now()
	started := a.ctl.Started()
	st := &serverStats{
		ID:             a.id,
		ServerVersion:  version(),
		Hostname:       hostname(),
		StreamerStatus: "starting",
		Now:            now.UnixMilli(),
		StartedAt:      started.Unix(),
		Uptime:         int64(now.Sub(started) / time.Second),
		TotalStreams:   len(s.cfg.Streams),
		TotalClients:   a.ctl.TotalClients(),
	}
	host := metrics.SampleHost()
	st.CPUUsage, st.MemoryUsage, st.OpenedFiles, st.OutputKbit = host.CPUUsage, host.MemoryUsage, host.OpenedFiles, host.OutKbit
	for _, d := range a.ctl.DVRDisks() {
		st.Partitions = append(st.Partitions, partition{Path: d.Path, TotalMB: d.Size >> 20, Usage: d.Usage})
	}
	if a.ctl.Ready() {
		st.StreamerStatus = "running"
	}
	st.TextAlerts = s.alerts()
	copied := false
	for i := range s.cfg.Streams {
		ss := a.stats(s.cfg.Streams[i].Name)
		if ss == nil {
			continue
		}
		if ss.Alive {
			st.OnlineStreams++
		}
		if ss.DRMError != "" {
			if !copied { // the snapshot's map is shared by every answer
				st.TextAlerts, copied = maps.Clone(st.TextAlerts), true
				if st.TextAlerts == nil {
					st.TextAlerts = map[string]string{}
				}
			}
			st.TextAlerts["stream "+s.cfg.Streams[i].Name+" drm"] = drmAlert(ss)
		}
		st.InputKbit += int64(ss.Bitrate)
		st.InputsBytes += ss.InputBytes
	}
	return st
}

func (a *API) whoami() whoami {
	return whoami{ServerVersion: version(), Now: time.Now().UnixMilli(), StartedAt: a.ctl.Started().Unix()}
}

// version is the main module's version from the build info.
var version = sync.OnceValue(func() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return ""
})

var hostname = sync.OnceValue(func() string {
	h, _ := os.Hostname() // an unknown hostname is left out
	return h
})

// textAlerts is config.Inactive as server_stats' text_alerts: nil when
// everything in the configuration is acted on. The map is shared by every
// answer of a snapshot: read only.
func textAlerts(cfg *config.Server) map[string]string {
	notices := cfg.Inactive()
	if len(notices) == 0 {
		return nil
	}
	out := make(map[string]string, len(notices))
	for _, n := range notices {
		out["config "+n.Where()] = n.What()
	}
	return out
}

// drmAlert is a protected stream's key server failure as a text alert.
func drmAlert(ss *StreamStats) string {
	if ss.DRMRefusing {
		return "key server failing, protected outputs refused: " + ss.DRMError
	}
	return "key server failing, the held key still protects: " + ss.DRMError
}
