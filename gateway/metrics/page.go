// Package metrics is /metrics: the server's families in the Prometheus
// text format, each once with its HELP and TYPE lines. Flussonic's
// OpenMetrics names (stream_bitrate, server_cpu_usage, pusher_bytes,
// dvr_depth... as its API description annotates its stats fields) stand
// beside ours (streamhive_*) where we measure more; a Flussonic counter is
// written with the `_total` suffix Prometheus gives it on ingestion.
//
// Cardinality: per-stream families are the few Flussonic has per stream
// plus one per input counter; streams are labelled by name (and input
// index, push id, rendition), never by session, client address or URL;
// asleep on-demand streams write nothing. Everything else is per server,
// per disk or per network interface. See README.md for the table.
package metrics

import (
	"slices"
	"time"

	"streamhive/actors/config"
	"streamhive/gateway/live"
	"streamhive/media/dvr"
	"streamhive/media/stats"
)

// Source is what the page reads: gateway/api.Control has these methods.
// Every call must be safe for concurrent use and must not block.
type Source interface {
	Config() *config.Server
	DynamicStreams() *[]config.Stream
	live.Locator
	DVRDisks() []dvr.DiskStatus
	TotalClients() int
	Started() time.Time
}

// Page writes the whole page: the streams running on this node, the
// server, the Go runtime and process, then the library-kept series
// (API requests, sessions, auth, DVR writers: libraryFamilies).
func Page(t *Text, src Source) {
	rows := gather(src)
	h := SampleHost()
	writeServer(t, src, rows, h)
	writeStreams(t, rows)
	writePushes(t, rows)
	writeDVR(t, rows)
	writeTranscoders(t, rows)
	writeGo(t)
	writeProcess(t, src.Started(), h)
	writeLibrary(t)
}

// gather reads the report of every stream that runs on this node, in
// name order.
func gather(src Source) []row {
	cfg := src.Config()
	var names []string
	if cfg != nil {
		names = make([]string, 0, len(cfg.Streams))
		for i := range cfg.Streams {
			names = append(names, cfg.Streams[i].Name)
		}
	}
	if dyn := src.DynamicStreams(); dyn != nil {
		for i := range *dyn {
			names = append(names, (*dyn)[i].Name)
		}
	}
	slices.Sort(names)
	rows := make([]row, 0, len(names))
	for _, n := range names {
		loc, ok := src.Locate(n)
		if !ok || loc.Node != live.Local {
			continue // its owner's /metrics has it
		}
		st, ok := loc.Stream.Stats()
		if !ok {
			continue // asleep (on demand) or not started
		}
		rows = append(rows, row{labels: Labels("name", n), st: st})
	}
	return rows
}

// Summary is what the server-wide figures add up from the streams.
type Summary struct {
	OnlineStreams int   // streams an input feeds
	InputKbit     int64 // the streams' bitrates summed
	InputsBytes   int64 // bytes all inputs received
}

// Summarize adds up a set of stream reports.
func Summarize(streams []stats.Stream) Summary {
	var s Summary
	for i := range streams {
		s.add(&streams[i])
	}
	return s
}

func (s *Summary) add(st *stats.Stream) {
	if st.Alive {
		s.OnlineStreams++
	}
	s.InputKbit += int64(st.Bitrate / 1000)
	for i := range st.Inputs {
		s.InputsBytes += st.Inputs[i].Bytes
	}
}

func writeServer(t *Text, src Source, rows []row, h Host) {
	var sum Summary
	for i := range rows {
		sum.add(&rows[i].st)
	}
	server := []struct {
		name, help string
		v          int64
	}{
		{"server_started_at", "When the server started, Unix seconds (Flussonic's server_started_at).", src.Started().Unix()},
		{"server_cpu_usage", "Percent of the host's CPU time busy since the previous sample (Flussonic's server_cpu_usage).", int64(h.CPUUsage)},
		{"server_memory_usage", "Percent of the host's memory in use, page cache excluded (Flussonic's server_memory_usage).", int64(h.MemoryUsage)},
		{"server_total_clients", "Viewer sessions open on the server (Flussonic's server_total_clients).", int64(src.TotalClients())},
		{"server_online_streams", "Streams an input feeds now (Flussonic's server_online_streams).", int64(sum.OnlineStreams)},
		{"server_opened_files", "File descriptors the server has open (Flussonic's server_opened_files).", int64(h.OpenedFiles)},
		{"server_input_bitrate", "The streams' input bitrates summed, kbit/s (Flussonic's server_input_bitrate).", sum.InputKbit},
		{"server_output_bitrate", "What the network interfaces send, kbit/s (Flussonic's server_output_bitrate).", h.OutKbit},
	}
	for _, f := range server {
		t.Family(f.name, Gauge, f.help)
		t.Int(f.name, "", f.v)
	}
	writePartitions(t, src.DVRDisks())
	writeNetwork(t, h.Net)
}

// writePartitions writes the filesystems the DVR records on, as
// Flussonic's partition_* (its partition_total_mb becomes
// partition_total_bytes: Prometheus names carry base units).
func writePartitions(t *Text, disks []dvr.DiskStatus) {
	t.Family("partition_usage", Gauge, "Percent of the partition in use (Flussonic's partition_usage).")
	for _, d := range disks {
		t.Int("partition_usage", Labels("path", d.Path), int64(d.Usage))
	}
	t.Family("partition_total_bytes", Gauge, "Size of the partition (Flussonic's partition_total_mb, in bytes).")
	for _, d := range disks {
		t.Int("partition_total_bytes", Labels("path", d.Path), d.Size)
	}
}

func writeNetwork(t *Text, devs []NetDev) {
	const rx, tx = "streamhive_network_receive_bytes_total", "streamhive_network_transmit_bytes_total"
	t.Family(rx, Counter, "Bytes the host's network interface received.")
	for _, d := range devs {
		t.Int(rx, Labels("device", d.Name), int64(d.Rx))
	}
	t.Family(tx, Counter, "Bytes the host's network interface sent.")
	for _, d := range devs {
		t.Int(tx, Labels("device", d.Name), int64(d.Tx))
	}
}
