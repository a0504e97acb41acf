package rtmp

import "time"

// clock turns RTMP's 32-bit millisecond timestamps into durations from the
// first timestamp it saw. It unwraps the 32-bit counter (which wraps after
// about 49.7 days) by taking each timestamp as the signed 32-bit difference
// from the previous one, so small backward steps (audio and video messages
// interleave a few ms out of order) stay small and a wrap stays a step
// forward. One clock serves all tracks of a connection: they share RTMP's
// timeline. Not safe for concurrent use.
type clock struct {
	started bool
	last    uint32
	ext     int64 // unwrapped ms of last, relative to the first timestamp
}

// at returns the time of a timestamp relative to the first one.
func (c *clock) at(ts uint32) time.Duration {
	if !c.started {
		c.started = true
		c.last = ts
		return 0
	}
	c.ext += int64(int32(ts - c.last))
	c.last = ts
	return time.Duration(c.ext) * time.Millisecond
}
