package media

import (
	"context"
	"sync/atomic"
)

// InputStats counts what one input (a pull or a publishing connection)
// received. The input's goroutine writes it; anybody may read it at any
// time. Bitrate is the reader's business: sample Bytes twice and divide.
type InputStats struct {
	Bytes  atomic.Uint64 // bytes received, protocol overhead included where the input sees it
	Frames atomic.Uint64 // frames written to the sink
	Errors atomic.Uint64 // malformed or unusable units dropped

	TS  TSStats  // MPEG-TS inputs only; zero for the others
	SRT SRTStats // SRT inputs only; zero for the others
}

type inputStatsKey struct{}

// WithInputStats returns a context that carries s to a Puller, which
// counts into it. A Puller serves every input of its scheme at once, so the
// counters of one pull travel with that pull's context.
func WithInputStats(ctx context.Context, s *InputStats) context.Context {
	return context.WithValue(ctx, inputStatsKey{}, s)
}

// InputStatsFrom returns the counters ctx carries, or fresh ones that
// nobody reads when it carries none, so callers can always count.
func InputStatsFrom(ctx context.Context) *InputStats {
	if s, ok := ctx.Value(inputStatsKey{}).(*InputStats); ok && s != nil {
		return s
	}
	return &InputStats{}
}

// TSStats counts what an MPEG-TS demuxer saw in one input's transport
// stream (UDP, HTTP-TS, SRT, TS files): the health figures that operators
// of satellite and IPTV headends watch (ETSI TR 101 290's first and second
// priority errors, as far as they can be told without a clock). Every
// counter only grows. protocols/mpegts documents exactly what each counts.
type TSStats struct {
	Packets         atomic.Uint64 // 188-byte packets read in sync
	SyncErrors      atomic.Uint64 // runs of bytes skipped to find the sync byte again (garbage, truncated packets)
	TransportErrors atomic.Uint64 // packets with transport_error_indicator set or a broken adaptation field, dropped
	CCErrors        atomic.Uint64 // continuity-counter discontinuities
	LostPackets     atomic.Uint64 // packets missing according to those discontinuities
	Scrambled       atomic.Uint64 // packets with transport_scrambling_control set, dropped
	PATErrors       atomic.Uint64 // invalid PAT sections, and a PAT that never came or lacks the program asked for
	PMTErrors       atomic.Uint64 // invalid PMT sections, and a PMT that never came
	BrokenPayloads  atomic.Uint64 // PES units dropped: cut by lost packets, or a bad PES header, ADTS, Opus or NAL layout
}

// SRTStats are an SRT connection's receiver statistics, copied from the
// SRT library's own about once a second by the connection's reader (so
// they lag by up to that much). Every counter only grows while one
// connection lasts; a new connection (a reconnect, a new publisher) brings
// fresh InputStats.
type SRTStats struct {
	Connected            atomic.Bool   // set once the first statistics were copied
	PacketsReceived      atomic.Uint64 // data packets received, retransmissions included
	PacketsLost          atomic.Uint64 // data packets detected missing (reported by NAK)
	PacketsRetransmitted atomic.Uint64 // retransmitted data packets received
	PacketsDropped       atomic.Uint64 // data packets that arrived too late or never, skipped
	RTTMicros            atomic.Uint64 // smoothed round-trip time, microseconds
}
