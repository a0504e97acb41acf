package mpegts

import "time"

// Timestamp arithmetic for 33-bit 90 kHz PTS/DTS (§2.4.3.7).
const (
	tsHz   = 90000
	tsWrap = int64(1) << 33

	// maxJump is the largest step between consecutive timestamps that is
	// taken as the stream's own: a bigger one is a discontinuity (an
	// encoder restart, a splice) and the timeline continues from where
	// it was instead of jumping. 10 s is far above any interleaving of
	// audio and video or any B-frame delay.
	maxJump = 10 * tsHz
)

// clock unwraps 33-bit timestamps into one 64-bit timeline shared by all
// tracks of a program: each value is taken as the one closest to the
// previous value, so the timeline runs on across the 26.5-hour wrap.
type clock struct {
	started bool
	lastRaw int64 // the previous 33-bit value
	last    int64 // where it landed on the timeline
}

// extend places ts on the timeline.
func (c *clock) extend(ts uint64) int64 {
	raw := int64(ts) & (tsWrap - 1)
	if !c.started {
		c.started, c.lastRaw, c.last = true, raw, raw
		return raw
	}
	d := wrapDiff(raw, c.lastRaw)
	if d > maxJump || d < -maxJump {
		d = 1 // continue just after the previous timestamp
	}
	c.lastRaw, c.last = raw, c.last+d
	return c.last
}

// wrapDiff returns a-b modulo 2^33, in [-2^32, 2^32).
func wrapDiff(a, b int64) int64 {
	d := (a - b) & (tsWrap - 1)
	if d >= tsWrap/2 {
		d -= tsWrap
	}
	return d
}

// ticks converts 90 kHz ticks to a duration without overflowing for any
// timeline a process will see.
func ticks(t int64) time.Duration {
	return time.Duration(t/tsHz)*time.Second + time.Duration(t%tsHz)*time.Second/tsHz
}
