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

// appendWriter is an io.Writer that appends to buf. Slices handed out of
// buf stay valid after later writes: appends only write past their end.
type appendWriter struct {
	buf   []byte
	ahead int // room a growth adds past what is needed; 0: a quarter (alloc.go)
}

func (w *appendWriter) Write(p []byte) (int, error) {
	w.reserve(len(p))
	w.buf = append(w.buf, p...)
	return len(p), nil
}

// since returns buf[from:] with its capacity clipped, so that nobody can
// append into bytes that a later write fills.
func (w *appendWriter) since(from int) []byte {
	return w.buf[from:len(w.buf):len(w.buf)]
}
