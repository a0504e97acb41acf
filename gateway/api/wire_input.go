package api

import "streamhive/media/stats"

// InputStats is input_stats.
type InputStats struct {
	Active    bool   `json:"active,omitempty"`
	Status    string `json:"status,omitempty"`
	Bytes     int64  `json:"bytes,omitempty"`
	Frames    int64  `json:"frames,omitempty"`
	Bitrate   int    `json:"bitrate,omitempty"` // kbit/s
	Errors    int64  `json:"errors,omitempty"`
	Restarts  int64  `json:"restarts,omitempty"`
	LastError string `json:"last_error,omitempty"`

	// TS is the MPEG-TS health of a TS-carrying input (UDP, HTTP-TS, SRT,
	// TS files); nil for the others and before the first packet.
	TS *TSInputStats `json:"ts,omitempty"`
	// SRT is the transport health of an SRT input (pull or publisher);
	// nil for the others.
	SRT *SRTInputStats `json:"srt,omitempty"`
}

// TSInputStats are the MPEG-TS counters of one input (media.TSStats; the
// Flussonic API has no counterpart, so the names are ours). Every counter
// only grows while the input's counters live; zeros are printed.
type TSInputStats struct {
	Packets         int64 `json:"packets"`
	SyncErrors      int64 `json:"sync_errors"`
	TransportErrors int64 `json:"transport_errors"`
	CCErrors        int64 `json:"cc_errors"`
	LostPackets     int64 `json:"lost_packets"`
	Scrambled       int64 `json:"scrambled"`
	PATErrors       int64 `json:"pat_errors"`
	PMTErrors       int64 `json:"pmt_errors"`
	BrokenPayloads  int64 `json:"broken_payloads"`
}

// SRTInputStats are an SRT connection's receiver counters (media.SRTStats),
// as libsrt's statistics name them, and its round-trip time.
type SRTInputStats struct {
	RTT                  float64 `json:"rtt"` // milliseconds, smoothed
	PacketsReceived      int64   `json:"packets_received"`
	PacketsLost          int64   `json:"packets_lost"`
	PacketsRetransmitted int64   `json:"packets_retransmitted"`
	PacketsDropped       int64   `json:"packets_dropped"`
}

// inputStatsOf maps one input's report to input_stats; active says it
// feeds the stream.
func inputStatsOf(in *stats.Input, active bool) InputStats {
	return InputStats{
		Active:    active,
		Status:    in.State,
		Bytes:     in.Bytes,
		Frames:    in.Frames,
		Bitrate:   kbits(in.Bitrate),
		Errors:    in.Failures + in.Dropped, // failures of the input, plus units its puller dropped
		Restarts:  in.Restarts,
		LastError: in.LastError,
		TS:        tsStatsOf(in.TS),
		SRT:       srtStatsOf(in.SRT),
	}
}

func tsStatsOf(ts *stats.TS) *TSInputStats {
	if ts == nil {
		return nil
	}
	return &TSInputStats{
		Packets: ts.Packets, SyncErrors: ts.SyncErrors, TransportErrors: ts.TransportErrors,
		CCErrors: ts.CCErrors, LostPackets: ts.LostPackets, Scrambled: ts.Scrambled,
		PATErrors: ts.PATErrors, PMTErrors: ts.PMTErrors, BrokenPayloads: ts.BrokenPayloads,
	}
}

func srtStatsOf(s *stats.SRT) *SRTInputStats {
	if s == nil {
		return nil
	}
	return &SRTInputStats{
		RTT:             float64(s.RTT.Microseconds()) / 1000, // ms
		PacketsReceived: s.PacketsReceived, PacketsLost: s.PacketsLost,
		PacketsRetransmitted: s.PacketsRetransmitted, PacketsDropped: s.PacketsDropped,
	}
}
