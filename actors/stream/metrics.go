package stream

import (
	"fmt"
	"io"
	"sync/atomic"

	"github.com/VictoriaMetrics/metrics"

	"streamhive/media"
)

// inputSwitches counts switches between inputs across all streams.
var inputSwitches = metrics.NewCounter(`streamhive_input_switches_total`)

// streamMetrics is a stream's own series in /metrics: one metrics.Set,
// registered while one instance of the stream actor runs (Started to
// Stopping or Restarting). Its writer runs on the scraper's goroutine and
// reads only the stream's published Status (an immutable snapshot) and the
// inputs' media.InputStats (atomics), never the actor's fields:
//
//	streamhive_input_ts_cc_errors_total{name="cam1",input="0"} 3
//	streamhive_input_srt_rtt_seconds{name="cam1",input="1"} 0.0012
//
// TS series exist for inputs that have read TS, SRT series for SRT
// connections, so a stream of RTMP inputs adds nothing.
type streamMetrics struct{ set *metrics.Set }

// newStreamMetrics registers name's series, read from status.
func newStreamMetrics(name string, status *atomic.Pointer[Status]) streamMetrics {
	set := metrics.NewSet()
	label := fmt.Sprintf("name=%q", name)
	set.RegisterMetricsWriter(func(w io.Writer) {
		if st := status.Load(); st != nil {
			metrics.WriteCounterUint64(w, "streamhive_stream_input_switches_total{"+label+"}", uint64(st.Switches))
			writeInputMetrics(w, label, st.Inputs)
			writeTranscoderMetrics(w, label, st.Transcoder)
		}
	})
	metrics.RegisterSet(set)
	return streamMetrics{set: set}
}

// close unregisters the series; a no-op on the zero value.
func (m *streamMetrics) close() {
	if m.set != nil {
		metrics.UnregisterSet(m.set, true)
		m.set = nil
	}
}

// writeInputMetrics writes each input's TS and SRT counters, labelled with
// label (name="...") and the input's index.
func writeInputMetrics(w io.Writer, label string, inputs []InputStatus) {
	for i, in := range inputs {
		s := in.Stats
		if s == nil {
			continue
		}
		labels := fmt.Sprintf("{%s,input=\"%d\"}", label, i)
		if tsStats(s) != nil {
			writeTSMetrics(w, labels, &s.TS)
		}
		if s.SRT.Connected.Load() {
			writeSRTMetrics(w, labels, &s.SRT)
		}
	}
}

func writeTSMetrics(w io.Writer, labels string, ts *media.TSStats) {
	for _, c := range []struct {
		name string
		v    *atomic.Uint64
	}{
		{"packets", &ts.Packets},
		{"sync_errors", &ts.SyncErrors},
		{"transport_errors", &ts.TransportErrors},
		{"cc_errors", &ts.CCErrors},
		{"lost_packets", &ts.LostPackets},
		{"scrambled_packets", &ts.Scrambled},
		{"pat_errors", &ts.PATErrors},
		{"pmt_errors", &ts.PMTErrors},
		{"broken_payloads", &ts.BrokenPayloads},
	} {
		metrics.WriteCounterUint64(w, "streamhive_input_ts_"+c.name+"_total"+labels, c.v.Load())
	}
}

func writeSRTMetrics(w io.Writer, labels string, srt *media.SRTStats) {
	for _, c := range []struct {
		name string
		v    *atomic.Uint64
	}{
		{"packets_received", &srt.PacketsReceived},
		{"packets_lost", &srt.PacketsLost},
		{"packets_retransmitted", &srt.PacketsRetransmitted},
		{"packets_dropped", &srt.PacketsDropped},
	} {
		metrics.WriteCounterUint64(w, "streamhive_input_srt_"+c.name+"_total"+labels, c.v.Load())
	}
	metrics.WriteGaugeFloat64(w, "streamhive_input_srt_rtt_seconds"+labels, float64(srt.RTTMicros.Load())/1e6)
}
