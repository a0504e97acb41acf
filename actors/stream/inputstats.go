package stream

import (
	"time"

	"streamhive/media"
	"streamhive/media/stats"
)

// inputStats reads one input's status and live counters.
func inputStats(in InputStatus) stats.Input {
	out := stats.Input{
		State: in.State, Bitrate: bps(in.Bitrate), Failures: in.Failures, Restarts: in.Restarts,
		LastError: in.LastError, TS: tsStats(in.Stats), SRT: srtStats(in.Stats),
	}
	if in.Stats != nil {
		out.Bytes = int64(in.Stats.Bytes.Load())
		out.Frames = int64(in.Stats.Frames.Load())
		out.Dropped = int64(in.Stats.Errors.Load())
	}
	return out
}

// tsStats copies an input's MPEG-TS counters; nil when the input has not
// read a TS packet (not a TS input, or nothing came yet).
func tsStats(s *media.InputStats) *stats.TS {
	if s == nil || s.TS.Packets.Load() == 0 && s.TS.SyncErrors.Load() == 0 {
		return nil
	}
	ts := &s.TS
	return &stats.TS{
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

// srtStats copies an input's SRT statistics; nil for an input that is not
// an SRT connection.
func srtStats(s *media.InputStats) *stats.SRT {
	if s == nil || !s.SRT.Connected.Load() {
		return nil
	}
	srt := &s.SRT
	return &stats.SRT{
		RTT:                  time.Duration(srt.RTTMicros.Load()) * time.Microsecond,
		PacketsReceived:      int64(srt.PacketsReceived.Load()),
		PacketsLost:          int64(srt.PacketsLost.Load()),
		PacketsRetransmitted: int64(srt.PacketsRetransmitted.Load()),
		PacketsDropped:       int64(srt.PacketsDropped.Load()),
	}
}
