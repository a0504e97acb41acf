package stream

import (
	"streamhive/actors/config"
	"streamhive/media"
)

// tsStats converts an input's MPEG-TS counters into the API's form; nil
// when the input has not read a TS packet (not a TS input, or nothing
// came yet).
func tsStats(s *media.InputStats) *config.TSInputStats {
	if s == nil || s.TS.Packets.Load() == 0 && s.TS.SyncErrors.Load() == 0 {
		return nil
	}
	ts := &s.TS
	return &config.TSInputStats{
		Packets:         int64(ts.Packets.Load()),
		SyncErrors:      int64(ts.SyncErrors.Load()),
		TransportErrors: int64(ts.TransportErrors.Load()),
		CCErrors:        int64(ts.CCErrors.Load()),
		LostPackets:     int64(ts.LostPackets.Load()),
		Scrambled:       int64(ts.Scrambled.Load()),
		PATErrors:       int64(ts.PATErrors.Load()),
		PMTErrors:       int64(ts.PMTErrors.Load()),
		BrokenPayloads:  int64(ts.BrokenPayloads.Load()),
	}
}

// srtStats converts an input's SRT statistics into the API's form; nil
// for an input that is not an SRT connection.
func srtStats(s *media.InputStats) *config.SRTInputStats {
	if s == nil || !s.SRT.Connected.Load() {
		return nil
	}
	srt := &s.SRT
	return &config.SRTInputStats{
		RTT:                  float64(srt.RTTMicros.Load()) / 1000,
		PacketsReceived:      int64(srt.PacketsReceived.Load()),
		PacketsLost:          int64(srt.PacketsLost.Load()),
		PacketsRetransmitted: int64(srt.PacketsRetransmitted.Load()),
		PacketsDropped:       int64(srt.PacketsDropped.Load()),
	}
}
