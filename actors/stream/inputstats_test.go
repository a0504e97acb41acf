package stream

import (
	"testing"
	"time"

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
