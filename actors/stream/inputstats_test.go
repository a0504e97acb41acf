package stream

import (
	"bytes"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/VictoriaMetrics/metrics"

	"streamhive/media"
	"streamhive/media/stats"
)

// healthStats returns input counters with TS and SRT figures set.
func healthStats() *media.InputStats {
	s := new(media.InputStats)
	s.TS.Packets.Store(1000)
	s.TS.CCErrors.Store(3)
	s.TS.LostPackets.Store(7)
	s.TS.PMTErrors.Store(1)
	s.SRT.Connected.Store(true)
	s.SRT.PacketsReceived.Store(900)
	s.SRT.PacketsLost.Store(5)
	s.SRT.PacketsRetransmitted.Store(4)
	s.SRT.RTTMicros.Store(1500)
	return s
}

func TestStatusInputHealth(t *testing.T) {
	st := &Status{Started: time.Now(), Active: -1, Inputs: []InputStatus{
		{URL: "srt://h:1", Stats: healthStats()},
		{URL: "rtmp://h/a", Stats: new(media.InputStats)},
	}}
	got := st.Stats(time.Now()).Inputs
	wantTS := &stats.TS{Packets: 1000, CCErrors: 3, LostPackets: 7, PMTErrors: 1}
	wantSRT := &stats.SRT{RTT: 1500 * time.Microsecond, PacketsReceived: 900, PacketsLost: 5, PacketsRetransmitted: 4}
	if *got[0].TS != *wantTS || *got[0].SRT != *wantSRT {
		t.Errorf("input 0: ts %+v srt %+v; want %+v %+v", got[0].TS, got[0].SRT, wantTS, wantSRT)
	}
	if got[1].TS != nil || got[1].SRT != nil {
		t.Errorf("input 1 (no TS, no SRT): ts %+v srt %+v, want both nil", got[1].TS, got[1].SRT)
	}
}

func TestStreamMetrics(t *testing.T) {
	status := new(atomic.Pointer[Status])
	status.Store(&Status{Inputs: []InputStatus{{Stats: new(media.InputStats)}, {Stats: healthStats()}}})
	m := newStreamMetrics(`cam "1"`, status)
	var buf bytes.Buffer
	metrics.WritePrometheus(&buf, false)
	out := buf.String()
	for _, want := range []string{
		`streamhive_input_ts_cc_errors_total{name="cam \"1\"",input="1"} 3`,
		`streamhive_input_ts_lost_packets_total{name="cam \"1\"",input="1"} 7`,
		`streamhive_input_srt_packets_retransmitted_total{name="cam \"1\"",input="1"} 4`,
		`streamhive_input_srt_rtt_seconds{name="cam \"1\"",input="1"} 0.0015`,
	} {
		if !strings.Contains(out, want+"\n") {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if strings.Contains(out, `input="0"`) {
		t.Errorf("/metrics has series for an input without TS or SRT")
	}
	m.close()
	m.close()
	buf.Reset()
	metrics.WritePrometheus(&buf, false)
	if strings.Contains(buf.String(), `name="cam \"1\""`) {
		t.Errorf("series remain after close")
	}
}
