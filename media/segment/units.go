package segment

import "time"

// toUnits converts d to a timescale, flooring, without overflowing for
// any duration a stream can reach.
func toUnits(d time.Duration, timescale uint32) int64 {
	s, r := d/time.Second, d%time.Second
	if r < 0 {
		s--
		r += time.Second
	}
	return int64(s)*int64(timescale) + int64(r)*int64(timescale)/int64(time.Second)
}

// fromUnits converts a count of timescale units to a duration.
func fromUnits(u int64, timescale uint32) time.Duration {
	ts := int64(timescale)
	return time.Duration(u/ts)*time.Second + time.Duration(u%ts)*time.Second/time.Duration(ts)
}
