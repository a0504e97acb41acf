package whip

import (
	"time"

	"streamhive/protocols/pionrtc"
)

// Clock rates: RFC 6184 (H.264) and RFC 7587 (Opus) fix them.
const (
	videoClockRate = pionrtc.VideoClockRate
	opusClockRate  = pionrtc.OpusClockRate
)

// trackClock maps one track's 32-bit RTP timestamps onto the session's
// timeline: the track's first packet is placed at its arrival time since
// the session started, later timestamps by their distance from it,
// unwrapped. Audio and video each start where they arrived, which lines
// them up to within the network's jitter without RTCP sender reports.
// Used by one goroutine at a time (the ingest's lock).
type trackClock struct {
	rate    int64
	started bool
	at      time.Duration // the first packet's place on the session timeline
	last    uint32        // the last timestamp seen
	ext     int64         // ticks from the first packet to last
}

// anchor places the track's first packet (timestamp ts) at arrival;
// later calls do nothing.
func (c *trackClock) anchor(ts uint32, arrival time.Duration) {
	if c.started {
		return
	}
	c.started, c.at, c.last, c.ext = true, arrival, ts, 0
}

// ticks returns ts in ticks since the first packet, unwrapped: each step
// is taken as the shortest distance from the last timestamp, so
// wrap-around and slightly reordered timestamps both come out right.
func (c *trackClock) ticks(ts uint32) int64 {
	c.ext += int64(int32(ts - c.last))
	c.last = ts
	return c.ext
}

// time returns the timeline position of t ticks since the first packet.
func (c *trackClock) time(t int64) time.Duration {
	return c.at + ticksDuration(t, c.rate)
}

// ticksDuration converts clock ticks to a duration without overflowing
// for any timeline a process will see.
func ticksDuration(t, rate int64) time.Duration {
	return time.Duration(t/rate)*time.Second + time.Duration(t%rate)*time.Second/time.Duration(rate)
}
