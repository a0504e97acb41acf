package metrics

import (
	"strconv"

	"streamhive/media/stats"
)

// row is one stream on this node and its report, taken once per scrape.
type row struct {
	labels string // name="..."
	st     stats.Stream
}

// A stream family: a Flussonic name (stream_*, Flussonic's units) or one
// of ours (streamhive_*). Each writes one sample per stream.
var streamFamilies = []struct {
	name, typ, help string
	value           func(*stats.Stream) int64
}{
	{
		"stream_bitrate", Gauge, "Bitrate the stream receives, kbit/s (Flussonic's stream_bitrate).",
		func(s *stats.Stream) int64 { return int64(s.Bitrate / 1000) },
	},
	{
		"stream_online_clients", Gauge, "Viewer sessions of the stream open now (Flussonic's stream_online_clients).",
		func(s *stats.Stream) int64 { return int64(s.Clients) },
	},
	{
		"stream_bytes_in_total", Counter, "Bytes the stream's inputs received (Flussonic's stream_bytes_in).",
		func(s *stats.Stream) int64 {
			var n int64
			for i := range s.Inputs {
				n += s.Inputs[i].Bytes
			}
			return n
		},
	},
	{
		"stream_retry_count_total", Counter, "Restarts of the stream's inputs after a failure (Flussonic's stream_retry_count).",
		func(s *stats.Stream) int64 {
			var n int64
			for i := range s.Inputs {
				n += s.Inputs[i].Restarts
			}
			return n
		},
	},
	{
		"streamhive_stream_input_switches_total", Counter, "Changes of the input feeding the stream.",
		func(s *stats.Stream) int64 { return int64(s.Switches) },
	},
	{
		"streamhive_stream_packaged_frames_total", Counter, "Frames the stream's packager wrote into segments.",
		func(s *stats.Stream) int64 { return s.Packaging.Frames },
	},
	{
		"streamhive_stream_lost_frames_total", Counter,
		"Frames lost between the stream's hub and its segments: to the packager's full queue, dropped by the segmenter (before the first keyframe too) or rejected by its muxers.",
		func(s *stats.Stream) int64 { return s.Packaging.Lost() },
	},
}

// An input family: one sample per input of each stream, labelled with
// its index in the configuration.
var inputFamilies = []struct {
	name, typ, help string
	value           func(*stats.Input) int64
}{
	{
		"streamhive_input_up", Gauge, "1 while the input delivers, else 0.",
		func(in *stats.Input) int64 { return b2i(in.State == "running") },
	},
	{
		"streamhive_input_bitrate", Gauge, "Bitrate the input receives, kbit/s.",
		func(in *stats.Input) int64 { return int64(in.Bitrate / 1000) },
	},
	{
		"streamhive_input_bytes_total", Counter, "Bytes the input received, over all its runs.",
		func(in *stats.Input) int64 { return in.Bytes },
	},
	{
		"streamhive_input_failures_total", Counter, "Failures of the input since its stream started.",
		func(in *stats.Input) int64 { return in.Failures },
	},
	{
		"streamhive_input_dropped_units_total", Counter, "Malformed or unusable units the input's puller dropped.",
		func(in *stats.Input) int64 { return in.Dropped },
	},
}

// MPEG-TS error counters (TR 101 290's first priority and ours), written
// for inputs that read TS.
var tsFamilies = []struct {
	name, help string
	value      func(*stats.TS) int64
}{
	{"packets", "TS packets read.", func(t *stats.TS) int64 { return t.Packets }},
	{"sync_errors", "TS sync byte losses.", func(t *stats.TS) int64 { return t.SyncErrors }},
	{"transport_errors", "TS packets with the transport error indicator.", func(t *stats.TS) int64 { return t.TransportErrors }},
	{"cc_errors", "TS continuity counter errors.", func(t *stats.TS) int64 { return t.CCErrors }},
	{"lost_packets", "TS packets lost, from continuity counter gaps.", func(t *stats.TS) int64 { return t.LostPackets }},
	{"scrambled_packets", "Scrambled TS packets.", func(t *stats.TS) int64 { return t.Scrambled }},
	{"pat_errors", "PAT errors: missing or malformed.", func(t *stats.TS) int64 { return t.PATErrors }},
	{"pmt_errors", "PMT errors: missing or malformed.", func(t *stats.TS) int64 { return t.PMTErrors }},
	{"broken_payloads", "PES payloads that could not be assembled.", func(t *stats.TS) int64 { return t.BrokenPayloads }},
}

// SRT connection counters, written for inputs that are SRT connections.
var srtFamilies = []struct {
	name, help string
	value      func(*stats.SRT) int64
}{
	{"packets_received", "SRT data packets received.", func(s *stats.SRT) int64 { return s.PacketsReceived }},
	{"packets_lost", "SRT packets detected lost.", func(s *stats.SRT) int64 { return s.PacketsLost }},
	{"packets_retransmitted", "SRT packets received again after a loss.", func(s *stats.SRT) int64 { return s.PacketsRetransmitted }},
	{"packets_dropped", "SRT packets dropped as too late.", func(s *stats.SRT) int64 { return s.PacketsDropped }},
}

func writeStreams(t *Text, rows []row) {
	for _, f := range streamFamilies {
		t.Family(f.name, f.typ, f.help)
		for i := range rows {
			t.Int(f.name, rows[i].labels, f.value(&rows[i].st))
		}
	}
	inputLabels := make([][]string, len(rows))
	for i := range rows {
		inputLabels[i] = make([]string, len(rows[i].st.Inputs))
		for j := range inputLabels[i] {
			inputLabels[i][j] = rows[i].labels + `,input="` + strconv.Itoa(j) + `"`
		}
	}
	for _, f := range inputFamilies {
		t.Family(f.name, f.typ, f.help)
		for i := range rows {
			for j := range rows[i].st.Inputs {
				t.Int(f.name, inputLabels[i][j], f.value(&rows[i].st.Inputs[j]))
			}
		}
	}
	writeTS(t, rows, inputLabels)
	writeSRT(t, rows, inputLabels)
}

func writeTS(t *Text, rows []row, labels [][]string) {
	for _, f := range tsFamilies {
		name := "streamhive_input_ts_" + f.name + "_total"
		t.Family(name, Counter, f.help)
		for i := range rows {
			for j, in := range rows[i].st.Inputs {
				if in.TS != nil {
					t.Int(name, labels[i][j], f.value(in.TS))
				}
			}
		}
	}
}

func writeSRT(t *Text, rows []row, labels [][]string) {
	for _, f := range srtFamilies {
		name := "streamhive_input_srt_" + f.name + "_total"
		t.Family(name, Counter, f.help)
		for i := range rows {
			for j, in := range rows[i].st.Inputs {
				if in.SRT != nil {
					t.Int(name, labels[i][j], f.value(in.SRT))
				}
			}
		}
	}
	const rtt = "streamhive_input_srt_rtt_seconds"
	t.Family(rtt, Gauge, "Smoothed round-trip time of the SRT connection.")
	for i := range rows {
		for j, in := range rows[i].st.Inputs {
			if in.SRT != nil {
				t.Float(rtt, labels[i][j], in.SRT.RTT.Seconds())
			}
		}
	}
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}
